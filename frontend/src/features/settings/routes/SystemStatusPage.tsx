import { Alert, Card, Descriptions, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { Schemas } from '@/api/client';
import { problemText } from '@/api/problem';
import { DataTable } from '@/components/data-table/DataTable';
import { EmptyState } from '@/components/EmptyState';
import { PageSkeleton } from '@/components/Loading';
import { PageHeader } from '@/components/PageHeader';
import { formatCount, formatDateTime } from '@/lib/format';
import { useHealth } from '../api/health';
import { useSystemStatus } from '../api/systemStatus';
import { formatAge, formatAgo } from '../lib/age';
import { STUCK_AFTER_SECS, stuckQueues } from '../lib/stuckQueues';

type Worker = Schemas['WorkerStatus'];
type Queue = Schemas['QueueStatus'];

const KIND_COLORS: Record<string, string> = { pipeline: 'blue', eda: 'purple' };

const workerColumns: ColumnDef<Worker, unknown>[] = [
  {
    header: 'Kind',
    accessorKey: 'kind',
    cell: ({ row }) => <Tag color={KIND_COLORS[row.original.kind]}>{row.original.kind}</Tag>,
  },
  {
    header: 'Worker',
    accessorKey: 'id',
    cell: ({ row }) => <Typography.Text code>{row.original.id}</Typography.Text>,
  },
  {
    header: 'Host / PID',
    accessorKey: 'host',
    cell: ({ row }) => `${row.original.host} / ${row.original.pid}`,
  },
  { header: 'Version', accessorKey: 'version' },
  {
    header: 'Started',
    accessorKey: 'started_at',
    cell: ({ row }) => formatDateTime(row.original.started_at),
  },
  {
    header: 'Last heartbeat',
    accessorKey: 'heartbeat_age_secs',
    cell: ({ row }) => (
      <Tooltip title={formatDateTime(row.original.last_seen_at)}>
        <span>{formatAgo(row.original.heartbeat_age_secs)}</span>
      </Tooltip>
    ),
  },
  {
    header: 'State',
    accessorKey: 'state',
    cell: ({ row }) => (
      <Tag color={row.original.state === 'ALIVE' ? 'green' : 'orange'}>{row.original.state}</Tag>
    ),
  },
  {
    header: 'Current job',
    accessorKey: 'current',
    cell: ({ row }) =>
      row.original.current ? (
        <Typography.Text code>{row.original.current}</Typography.Text>
      ) : (
        <span className="dm-muted">idle</span>
      ),
  },
];

function queueColumns(stuck: Set<string>): ColumnDef<Queue, unknown>[] {
  return [
    {
      header: 'Queue',
      accessorKey: 'name',
      cell: ({ row }) => (
        <Space size={4} wrap>
          <Typography.Text code>{row.original.name}</Typography.Text>
          {stuck.has(row.original.name) ? <Tag color="error">no worker is taking jobs</Tag> : null}
        </Space>
      ),
    },
    {
      header: 'Pending',
      accessorKey: 'pending',
      cell: ({ row }) => formatCount(row.original.pending),
    },
    {
      header: 'In flight',
      accessorKey: 'in_flight',
      cell: ({ row }) => formatCount(row.original.in_flight),
    },
    {
      header: 'Scheduled',
      accessorKey: 'scheduled',
      cell: ({ row }) => formatCount(row.original.scheduled),
    },
    {
      header: 'Oldest pending',
      accessorKey: 'oldest_pending_age_secs',
      cell: ({ row }) => (
        <span
          className={stuck.has(row.original.name) ? 'ant-typography ant-typography-danger' : ''}
        >
          {formatAge(row.original.oldest_pending_age_secs)}
        </span>
      ),
    },
    {
      header: 'Failed (24 h)',
      accessorKey: 'failed_last_day',
      cell: ({ row }) =>
        row.original.failed_last_day > 0 ? (
          <Tag color="error">{formatCount(row.original.failed_last_day)}</Tag>
        ) : (
          '0'
        ),
    },
  ];
}

export function SystemStatusPage() {
  const health = useHealth();
  const status = useSystemStatus();
  const stuck = useMemo(
    () => (status.data ? stuckQueues(status.data) : new Set<string>()),
    [status.data],
  );
  const queueCols = useMemo(() => queueColumns(stuck), [stuck]);
  const database = status.data?.database ?? health.data?.database;
  const databaseDown = database !== undefined && database.status !== 'up';

  return (
    <>
      <PageHeader
        title="System status"
        subtitle="The dataset registry, its database, the workers and the job queues, checked every 5 seconds."
      />
      {status.isPending && health.isPending ? (
        <PageSkeleton />
      ) : (
        <Space direction="vertical" size="large" style={{ width: '100%' }}>
          <Card title="Service">
            {status.isError ? (
              <Alert
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                message={problemText(status.error).title}
                description={problemText(status.error).detail}
              />
            ) : null}
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="Service">{health.data?.service ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="Version">{health.data?.version ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="Database">
                {database ? (
                  <>
                    <Tag color={databaseDown ? 'error' : 'success'}>{database.status}</Tag>
                    {database.latency_ms !== null && database.latency_ms !== undefined
                      ? `${database.latency_ms.toFixed(1)} ms`
                      : null}
                    {database.error ? <div className="dm-muted">{database.error}</div> : null}
                  </>
                ) : (
                  '—'
                )}
              </Descriptions.Item>
              <Descriptions.Item label="Checked">
                {status.data
                  ? formatDateTime(status.data.checked_at)
                  : health.dataUpdatedAt
                    ? formatDateTime(new Date(health.dataUpdatedAt).toISOString())
                    : '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          {status.data ? (
            <>
              {databaseDown ? (
                <Alert
                  type="error"
                  showIcon
                  message="The database is down"
                  description="Workers and queues live in the database: they show again once it answers."
                />
              ) : null}
              {stuck.size > 0 ? (
                <Alert
                  type="warning"
                  showIcon
                  message={`No worker is taking jobs from ${[...stuck].join(', ')}`}
                  description={`Jobs have waited over ${STUCK_AFTER_SECS} s and no worker of that kind is alive. Start one (make dev runs both).`}
                />
              ) : null}
              <Card title="Workers">
                <DataTable
                  label="Workers"
                  columns={workerColumns}
                  data={status.data.workers}
                  getRowId={(w) => `${w.kind}:${w.id}`}
                  fetching={status.isFetching}
                  empty={
                    databaseDown ? (
                      <EmptyState title="Unknown while the database is down" />
                    ) : (
                      <EmptyState
                        title="No worker has reported in the last 24 hours"
                        hint="Start a worker: make dev runs one."
                      />
                    )
                  }
                />
              </Card>
              <Card title="Queues">
                <DataTable
                  label="Queues"
                  columns={queueCols}
                  data={status.data.queues}
                  getRowId={(q) => q.name}
                  fetching={status.isFetching}
                  empty={
                    <EmptyState
                      title={databaseDown ? 'Unknown while the database is down' : 'No queues'}
                    />
                  }
                />
              </Card>
            </>
          ) : null}
        </Space>
      )}
    </>
  );
}
