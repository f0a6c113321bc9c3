import type { ColumnDef } from '@tanstack/react-table';
import { Button, DatePicker, Form, Progress, Select, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import type { Schemas } from '@/api/client';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { PageHeader } from '@/components/PageHeader';
import { ExecutionStatusBadge } from '@/components/StatusBadge';
import { DataTable } from '@/components/data-table/DataTable';
import { EXECUTION_STATUSES, isOneOf, optionsOf } from '@/lib/enums';
import { formatDateTime, formatDuration, formatRelative } from '@/lib/format';
import { useAllGroups } from '../api/datasetGroups';
import { isLive } from '../api/execution';
import { useExecutions } from '../api/executions';
import type { ExecutionListParams } from '../api/keys';
import { useNow } from '../hooks/useNow';
import { elapsedMs, percentOf } from '../utils/progress';
import { readConfigOutput } from '../utils/report';

type Execution = Schemas['Execution'];

const DATE = 'YYYY-MM-DD';
const PAGE_SIZES = [10, 20, 50, 100];

function positive(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** The filters and page as the URL holds them (`?status=RUNNING&group=<id>&from=…&to=…&page=2`). */
function useHistoryParams() {
  const [search, setSearch] = useSearchParams();
  const status = search.get('status') ?? '';
  const from = search.get('from');
  const to = search.get('to');
  const fromDay = from && dayjs(from, DATE, true).isValid() ? dayjs(from, DATE) : null;
  const toDay = to && dayjs(to, DATE, true).isValid() ? dayjs(to, DATE) : null;
  const params: ExecutionListParams = {
    status: isOneOf(EXECUTION_STATUSES, status) ? status : undefined,
    outputGroupId: search.get('group') ?? undefined,
    // Whole days in the user's time zone: from the start of `from` to the end of `to`.
    createdAfter: fromDay ? fromDay.startOf('day').toISOString() : undefined,
    createdBefore: toDay ? toDay.add(1, 'day').startOf('day').toISOString() : undefined,
    page: positive(search.get('page'), 1),
    pageSize: positive(search.get('size'), 20),
  };
  const update = (patch: Record<string, string | null>, keepPage = false) =>
    setSearch((prev) => {
      const next = new URLSearchParams(prev);
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === '') {
          next.delete(key);
        } else {
          next.set(key, value);
        }
      }
      if (!keepPage) {
        next.delete('page');
      }
      return next;
    });
  return { params, fromDay, toDay, update };
}

/** `/pipelines`: every execution, newest first, filterable, linked to its page. */
export function ExecutionHistoryPage() {
  const { params, fromDay, toDay, update } = useHistoryParams();
  const query = useExecutions(params);
  const groups = useAllGroups();
  const items = useMemo(() => query.data?.items ?? [], [query.data]);
  const now = useNow(items.some((e) => isLive(e.status)));
  const filtered =
    params.status !== undefined ||
    params.outputGroupId !== undefined ||
    fromDay !== null ||
    toDay !== null;

  const groupNames = useMemo(
    () => new Map((groups.data ?? []).map((g) => [g.group_id, g.name] as const)),
    [groups.data],
  );

  const columns = useMemo<ColumnDef<Execution, unknown>[]>(
    () => [
      {
        id: 'execution',
        header: 'Execution',
        cell: ({ row }) => (
          <Link to={`/pipelines/${row.original.id}`} aria-label={`Execution ${row.original.id}`}>
            <Typography.Text code>{row.original.id.slice(0, 8)}</Typography.Text>
          </Link>
        ),
      },
      {
        id: 'status',
        header: 'Status',
        cell: ({ row }) => <ExecutionStatusBadge status={row.original.status} />,
      },
      {
        id: 'progress',
        header: 'Progress',
        size: 180,
        cell: ({ row }) => {
          const percent = percentOf(row.original);
          return percent === null ? (
            <Typography.Text type="secondary">—</Typography.Text>
          ) : (
            <Progress
              percent={percent}
              size="small"
              status={
                row.original.status === 'FAILED'
                  ? 'exception'
                  : isLive(row.original.status)
                    ? 'active'
                    : undefined
              }
            />
          );
        },
      },
      {
        id: 'output',
        header: 'Output dataset',
        cell: ({ row }) => {
          const output = readConfigOutput(row.original.config);
          const name = output?.group || groupNames.get(row.original.output_group_id ?? '') || '—';
          const label = output ? `${name} · ${output.split} · ${output.version ?? ''}` : name;
          return row.original.output_group_id ? (
            <Link to={`/datasets/${row.original.output_group_id}`}>{label}</Link>
          ) : (
            label
          );
        },
      },
      {
        id: 'created',
        header: 'Created',
        cell: ({ row }) => (
          <span title={formatDateTime(row.original.created_at)}>
            {formatRelative(row.original.created_at)}
          </span>
        ),
      },
      {
        id: 'duration',
        header: 'Duration',
        cell: ({ row }) => formatDuration(elapsedMs(row.original, now)),
      },
    ],
    [groupNames, now],
  );

  const newButton = (
    <Link to="/pipelines/new">
      <Button type="primary">New pipeline</Button>
    </Link>
  );

  return (
    <div>
      <PageHeader
        title="Pipelines"
        subtitle="Every pipeline execution, newest first"
        extra={newButton}
      />
      <Form layout="inline" component="div" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label="Status" htmlFor="history-status">
          <Select
            id="history-status"
            allowClear
            placeholder="Any"
            style={{ width: 150 }}
            value={params.status}
            options={optionsOf(EXECUTION_STATUSES)}
            onChange={(value?: string) => update({ status: value ?? null })}
          />
        </Form.Item>
        <Form.Item label="Output group" htmlFor="history-group">
          <Select
            id="history-group"
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder="Any"
            style={{ width: 220 }}
            loading={groups.isLoading}
            value={params.outputGroupId}
            options={(groups.data ?? [])
              .filter((g) => g.dataset_type === 'PROCESSED' || g.dataset_type === 'FUSION')
              .map((g) => ({ value: g.group_id, label: g.name }))}
            onChange={(value?: string) => update({ group: value ?? null })}
          />
        </Form.Item>
        <Form.Item label="Created" htmlFor="history-created">
          <DatePicker.RangePicker
            id={{ start: 'history-created' }}
            allowEmpty={[true, true]}
            value={[fromDay, toDay]}
            onChange={(range) =>
              update({
                from: range?.[0]?.format(DATE) ?? null,
                to: range?.[1]?.format(DATE) ?? null,
              })
            }
          />
        </Form.Item>
        {filtered ? (
          <Button
            type="link"
            onClick={() => update({ status: null, group: null, from: null, to: null })}
          >
            Clear filters
          </Button>
        ) : null}
      </Form>
      {query.error && !query.data ? (
        <ErrorResult error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <DataTable<Execution>
          label="Pipeline executions"
          columns={columns}
          data={items}
          getRowId={(row) => row.id}
          loading={query.isLoading}
          fetching={query.isFetching && !query.isLoading}
          pagination={{
            page: params.page,
            pageSize: params.pageSize,
            total: query.data?.total ?? 0,
            pageSizeOptions: PAGE_SIZES,
            onChange: (page, size) => update({ page: String(page), size: String(size) }, true),
          }}
          empty={
            filtered ? (
              <EmptyState
                title="No execution matches these filters"
                action={
                  <Button
                    onClick={() => update({ status: null, group: null, from: null, to: null })}
                  >
                    Clear filters
                  </Button>
                }
              />
            ) : (
              <EmptyState
                title="No pipeline has run yet"
                hint="Build a dataset version from the ones you have."
                action={<Space>{newButton}</Space>}
              />
            )
          }
        />
      )}
    </div>
  );
}
