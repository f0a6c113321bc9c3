import { Flex, Select, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import type { Schemas } from '@/api/client';
import { ANNOTATION_FORMATS } from '@/lib/enums';
import { useGroups } from '../api/listGroups';
import { useDebouncedValue } from '../hooks/useDebouncedValue';
import { DatasetTypeTag } from './DatasetTypeTag';

interface Option {
  value: string;
  label: string;
  group: Pick<Schemas['Group'], 'name' | 'dataset_type' | 'annotation_format'>;
}

/**
 * A searchable select over dataset groups; the search runs on the server (by name), so it
 * finds groups beyond the first page. `selected` keeps the current group listed while a search
 * for something else is shown.
 */
export function GroupPicker({
  id,
  value,
  onChange,
  selected,
}: {
  id?: string;
  value?: string;
  onChange?: (value: string | undefined) => void;
  selected: Schemas['Group'] | undefined;
}) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), 250);
  const groups = useGroups({ q: q || undefined, sort: 'name', page: 1, page_size: 50 });

  const options = useMemo(() => {
    const found: Option[] = (groups.data?.items ?? []).map((group) => ({
      value: group.group_id,
      label: group.name,
      group,
    }));
    if (selected && !found.some((option) => option.value === selected.id)) {
      found.unshift({ value: selected.id, label: selected.name, group: selected });
    }
    return found;
  }, [groups.data, selected]);

  return (
    <Select
      id={id}
      value={value}
      onChange={onChange}
      showSearch
      allowClear
      placeholder="Search groups by name"
      filterOption={false}
      onSearch={setSearch}
      onClear={() => setSearch('')}
      loading={groups.isFetching}
      notFoundContent={
        groups.isFetching ? (
          <Spin size="small" />
        ) : (
          <Typography.Text type="secondary">
            {q ? `No group named like “${q}”` : 'No groups yet: create a new one instead'}
          </Typography.Text>
        )
      }
      options={options}
      optionRender={(option) => {
        const group = (option.data as Option).group;
        return (
          <Flex justify="space-between" gap={8} align="center">
            <span>{group.name}</span>
            <span>
              <DatasetTypeTag type={group.dataset_type} />
              <Typography.Text type="secondary">
                {ANNOTATION_FORMATS[group.annotation_format]}
              </Typography.Text>
            </span>
          </Flex>
        );
      }}
    />
  );
}
