import type { ColumnDef, SortingState, Updater } from '@tanstack/react-table';
import { Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { DataTable } from '@/components/data-table/DataTable';
import { TaskTags } from '@/components/TaskTags';
import { ANNOTATION_FORMATS, MODALITIES, SPLITS } from '@/lib/enums';
import { formatCount, formatDateTime, formatRelative } from '@/lib/format';
import {
  DEFAULT_SORT,
  type ListSort,
  PAGE_SIZES,
  SORT_KEYS,
  type SortKey,
} from '../hooks/listState';
import { DatasetTypeTag } from './DatasetTypeTag';
import { EdaSummaryTag } from './EdaSummaryTag';
import { GroupActions } from './GroupActions';
import { VersionMatrix } from './VersionMatrix';
import { edaUrl } from './presentation';
import { compareSplits } from './versions';
import './datasets.css';

type Group = Schemas['GroupSummary'];

function When({ value }: { value: string }) {
  return (
    <span className="dm-ds-nowrap" title={formatDateTime(value)}>
      {formatRelative(value)}
    </span>
  );
}

// Column ids of sortable columns are the API's sort keys.
const columns: ColumnDef<Group, unknown>[] = [
  {
    id: 'name',
    header: 'Name',
    accessorFn: (group) => group.name,
    cell: ({ row }) => (
      <div>
        <Link to={`/datasets/${row.original.group_id}`} className="dm-ds-name">
          {row.original.name}
        </Link>
        {row.original.description ? (
          <div className="dm-ds-sub" title={row.original.description}>
            {row.original.description}
          </div>
        ) : null}
      </div>
    ),
  },
  {
    id: 'dataset_type',
    header: 'Type',
    enableSorting: false,
    cell: ({ row }) => <DatasetTypeTag type={row.original.dataset_type} />,
  },
  {
    id: 'annotation_format',
    header: 'Format',
    enableSorting: false,
    cell: ({ row }) => ANNOTATION_FORMATS[row.original.annotation_format],
  },
  {
    id: 'modality',
    header: 'Modality',
    enableSorting: false,
    cell: ({ row }) => MODALITIES[row.original.modality],
  },
  {
    id: 'task_types',
    header: 'Tasks',
    enableSorting: false,
    cell: ({ row }) => <TaskTags tasks={row.original.task_types} />,
  },
  {
    id: 'image_count',
    header: 'Images',
    accessorFn: (group) => group.image_count,
    sortDescFirst: true,
    cell: ({ row }) => (
      <span className="dm-ds-num" title="Images in the latest version of each split">
        {formatCount(row.original.image_count)}
      </span>
    ),
  },
  {
    id: 'versions',
    header: 'Versions',
    enableSorting: false,
    cell: ({ row }) => (
      <Space size={[4, 4]} wrap>
        <Typography.Text strong>{row.original.version_count}</Typography.Text>
        {row.original.splits.map((split) => (
          <Tag key={split.split} bordered={false}>
            {SPLITS[split.split]} {split.versions.length}
          </Tag>
        ))}
      </Space>
    ),
  },
  {
    id: 'eda',
    header: 'EDA',
    enableSorting: false,
    // The newest version of each split (expand the row for every version).
    cell: ({ row }) => {
      const splits = [...row.original.splits]
        .filter((split) => split.versions.length > 0)
        .sort((a, b) => compareSplits(a.split, b.split));
      if (splits.length === 0) {
        return <span className="dm-muted">—</span>;
      }
      return (
        <Space direction="vertical" size={2}>
          {splits.map((split) => {
            const latest = split.versions[0];
            return latest ? (
              <EdaSummaryTag
                key={split.split}
                eda={latest.eda}
                compact
                prefix={splits.length > 1 ? SPLITS[split.split] : undefined}
                to={edaUrl(row.original.group_id, latest.id)}
              />
            ) : null;
          })}
        </Space>
      );
    },
  },
  {
    id: 'created_at',
    header: 'Created',
    accessorFn: (group) => group.created_at,
    sortDescFirst: true,
    cell: ({ row }) => (
      <div>
        <When value={row.original.created_at} />
        {row.original.updated_at !== row.original.created_at ? (
          <div className="dm-ds-sub">
            updated <When value={row.original.updated_at} />
          </div>
        ) : null}
      </div>
    ),
  },
  {
    id: 'actions',
    header: 'Actions',
    enableSorting: false,
    cell: ({ row }) => <GroupActions group={row.original} />,
  },
];

function isSortKey(id: string): id is SortKey {
  return (SORT_KEYS as readonly string[]).includes(id);
}

export function GroupTable({
  groups,
  total,
  loading,
  fetching,
  sort,
  onSortChange,
  page,
  pageSize,
  onPageChange,
  empty,
}: {
  groups: readonly Group[];
  total: number;
  loading: boolean;
  fetching: boolean;
  sort: ListSort;
  onSortChange: (sort: ListSort) => void;
  page: number;
  pageSize: number;
  onPageChange: (page: number, pageSize: number) => void;
  empty: ReactNode;
}) {
  const sorting: SortingState = [{ id: sort.key, desc: sort.desc }];
  const onSortingChange = (updater: Updater<SortingState>) => {
    const next = typeof updater === 'function' ? updater(sorting) : updater;
    const first = next[0];
    // Clearing the sort returns to the server's default order, which the header then shows.
    onSortChange(first && isSortKey(first.id) ? { key: first.id, desc: first.desc } : DEFAULT_SORT);
  };
  return (
    <DataTable
      label="Dataset groups"
      columns={columns}
      data={groups}
      getRowId={(group) => group.group_id}
      loading={loading}
      fetching={fetching}
      sorting={sorting}
      onSortingChange={onSortingChange}
      pagination={{
        page,
        pageSize,
        total,
        onChange: onPageChange,
        pageSizeOptions: [...PAGE_SIZES],
      }}
      renderExpanded={(group) => <VersionMatrix group={group} />}
      empty={empty}
    />
  );
}
