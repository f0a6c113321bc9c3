import { SearchOutlined } from '@ant-design/icons';
import { Button, Flex, Input, Select } from 'antd';
import { useEffect, useRef, useState } from 'react';
import {
  ANNOTATION_FORMATS,
  DATASET_STATUSES,
  DATASET_TYPES,
  MODALITIES,
  SPLITS,
  TASK_TYPES,
  optionsOf,
} from '@/lib/enums';
import {
  type FilterPatch,
  type ListSort,
  type ListState,
  hasFilters,
  parseSort,
  sortToParam,
} from '../hooks/listState';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import './datasets.css';

const SEARCH_DELAY_MS = 300;

const SORT_OPTIONS: { value: string; label: string }[] = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: 'name', label: 'Name A–Z' },
  { value: '-name', label: 'Name Z–A' },
  { value: '-image_count', label: 'Most images' },
  { value: 'image_count', label: 'Fewest images' },
];

/** The search box: typed text reaches the URL (and the server) once typing pauses. */
function SearchInput({ value, onSearch }: { value: string; onSearch: (q: string) => void }) {
  const [text, setText] = useState(value);
  const debounced = useDebouncedValue(text, SEARCH_DELAY_MS);
  // What the URL last got from (or gave to) this box: tells our own echo from an outside change
  // (Reset filters, Back) so neither overwrites the other.
  const applied = useRef(value);

  useEffect(() => {
    if (value !== applied.current) {
      applied.current = value;
      setText(value);
    }
  }, [value]);

  useEffect(() => {
    const q = debounced.trim();
    if (q !== applied.current) {
      applied.current = q;
      onSearch(q);
    }
  }, [debounced, onSearch]);

  return (
    <Input
      className="dm-ds-search"
      aria-label="Search by name"
      placeholder="Search by name"
      prefix={<SearchOutlined aria-hidden />}
      allowClear
      value={text}
      onChange={(event) => setText(event.target.value)}
    />
  );
}

export function FilterBar({
  state,
  onFilter,
  onSearch,
  onSort,
  onReset,
  showReset,
}: {
  state: ListState;
  onFilter: (patch: FilterPatch) => void;
  onSearch: (q: string) => void;
  onSort: (sort: ListSort) => void;
  onReset: () => void;
  showReset: boolean;
}) {
  return (
    <Flex className="dm-ds-toolbar" gap={8} justify="space-between" align="flex-start">
      <Flex gap={8} wrap align="center" role="search" aria-label="Filter datasets">
        <SearchInput value={state.q} onSearch={onSearch} />
        <Select
          className="dm-ds-f-sm"
          aria-label="Dataset type"
          placeholder="Type"
          allowClear
          value={state.datasetType}
          onChange={(datasetType) => onFilter({ datasetType })}
          options={optionsOf(DATASET_TYPES)}
        />
        <Select
          className="dm-ds-tasks"
          aria-label="Task types"
          placeholder="Task types"
          mode="multiple"
          allowClear
          maxTagCount="responsive"
          value={state.taskTypes}
          onChange={(taskTypes) => onFilter({ taskTypes })}
          options={optionsOf(TASK_TYPES)}
        />
        <Select
          className="dm-ds-f-md"
          aria-label="Annotation format"
          placeholder="Format"
          allowClear
          value={state.annotationFormat}
          onChange={(annotationFormat) => onFilter({ annotationFormat })}
          options={optionsOf(ANNOTATION_FORMATS)}
        />
        <Select
          className="dm-ds-f-md"
          aria-label="Modality"
          placeholder="Modality"
          allowClear
          value={state.modality}
          onChange={(modality) => onFilter({ modality })}
          options={optionsOf(MODALITIES)}
        />
        <Select
          className="dm-ds-f-sm"
          aria-label="Split"
          placeholder="Split"
          allowClear
          value={state.split}
          onChange={(split) => onFilter({ split })}
          options={optionsOf(SPLITS)}
        />
        <Select
          className="dm-ds-f-sm"
          aria-label="Status"
          placeholder="Status"
          allowClear
          value={state.status}
          onChange={(status) => onFilter({ status })}
          options={optionsOf(DATASET_STATUSES)}
        />
        {showReset && hasFilters(state) ? <Button onClick={onReset}>Reset filters</Button> : null}
      </Flex>
      <Select
        className="dm-ds-sort"
        aria-label="Sort by"
        prefix={<span className="dm-muted">Sort</span>}
        value={sortToParam(state.sort)}
        onChange={(value: string) => {
          const sort = parseSort(value);
          if (sort) onSort(sort);
        }}
        options={SORT_OPTIONS}
      />
    </Flex>
  );
}
