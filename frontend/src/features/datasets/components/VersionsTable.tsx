import { BarChartOutlined, BranchesOutlined, PictureOutlined } from '@ant-design/icons';
import type { ColumnDef } from '@tanstack/react-table';
import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import type { Schemas } from '@/api/client';
import { DataTable } from '@/components/data-table/DataTable';
import { DatasetStatusBadge } from '@/components/StatusBadge';
import { ANNOTATION_FORMATS, SPLITS } from '@/lib/enums';
import { formatCount, formatDateTime } from '@/lib/format';
import { annotationCount } from '../api/shapes';
import { staticUrl } from './presentation';
import { compareSplits, compareVersionsDesc } from './versions';
import './datasets.css';

type Dataset = Schemas['Dataset'];

/** Every version of a group (split order, newest first), with where it lives and its counts. */
export function VersionsTable({
  datasets,
  onLineage,
  onEda,
  onSamples,
  empty,
}: {
  datasets: Dataset[];
  onLineage: (datasetId: string) => void;
  onEda: (datasetId: string) => void;
  onSamples: (datasetId: string) => void;
  empty: ReactNode;
}) {
  const rows = [...datasets].sort(
    (a, b) => compareSplits(a.split, b.split) || compareVersionsDesc(a.version, b.version),
  );
  const columns: ColumnDef<Dataset, unknown>[] = [
    { id: 'split', header: 'Split', cell: ({ row }) => SPLITS[row.original.split] },
    {
      id: 'version',
      header: 'Version',
      cell: ({ row }) => <Typography.Text code>{row.original.version}</Typography.Text>,
    },
    {
      id: 'status',
      header: 'Status',
      cell: ({ row }) => <DatasetStatusBadge status={row.original.status} />,
    },
    {
      id: 'storage_uri',
      header: 'Storage path',
      cell: ({ row }) => (
        <a href={`${staticUrl(row.original.storage_uri)}/`} target="_blank" rel="noreferrer">
          <Typography.Text code className="dm-ds-nowrap">
            {row.original.storage_uri}
          </Typography.Text>
        </a>
      ),
    },
    {
      id: 'format',
      header: 'Format',
      cell: ({ row }) => (
        <span>
          {ANNOTATION_FORMATS[row.original.annotation_format]}
          {row.original.annotation_format_overridden ? (
            <Tooltip title="This version overrides the group's annotation format">
              <Tag bordered={false} color="gold" style={{ marginLeft: 6 }}>
                override
              </Tag>
            </Tooltip>
          ) : null}
        </span>
      ),
    },
    {
      id: 'images',
      header: 'Images',
      cell: ({ row }) => <span className="dm-ds-num">{formatCount(row.original.image_count)}</span>,
    },
    {
      id: 'annotations',
      header: 'Annotations',
      cell: ({ row }) => (
        <span className="dm-ds-num">{formatCount(annotationCount(row.original.metadata))}</span>
      ),
    },
    {
      id: 'classes',
      header: 'Classes',
      cell: ({ row }) => <span className="dm-ds-num">{formatCount(row.original.class_count)}</span>,
    },
    {
      id: 'created_at',
      header: 'Created',
      cell: ({ row }) => (
        <span className="dm-ds-nowrap">{formatDateTime(row.original.created_at)}</span>
      ),
    },
    {
      id: 'description',
      header: 'Description',
      cell: ({ row }) =>
        row.original.description ? (
          <span className="dm-ds-sub" title={row.original.description}>
            {row.original.description}
          </span>
        ) : (
          <span className="dm-muted">—</span>
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      cell: ({ row }) => (
        <Space size={4} wrap={false}>
          <Button
            size="small"
            icon={<PictureOutlined aria-hidden />}
            onClick={() => onSamples(row.original.id)}
            aria-label={`Samples of ${SPLITS[row.original.split]} ${row.original.version}`}
          >
            Samples
          </Button>
          <Button
            size="small"
            icon={<BarChartOutlined aria-hidden />}
            onClick={() => onEda(row.original.id)}
            aria-label={`EDA of ${SPLITS[row.original.split]} ${row.original.version}`}
          >
            EDA
          </Button>
          <Button
            size="small"
            icon={<BranchesOutlined aria-hidden />}
            onClick={() => onLineage(row.original.id)}
            aria-label={`Lineage of ${SPLITS[row.original.split]} ${row.original.version}`}
          >
            Lineage
          </Button>
        </Space>
      ),
    },
  ];
  return (
    <DataTable
      label="Dataset versions"
      columns={columns}
      data={rows}
      getRowId={(dataset) => dataset.id}
      empty={empty}
    />
  );
}
