import { Select, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import type { Schemas } from '@/api/client';
import { useManipulators, useSetManipulatorStatus } from '@/api/manipulators';
import { DataTable } from '@/components/data-table/DataTable';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { PageHeader } from '@/components/PageHeader';
import { TaskTags } from '@/components/TaskTags';
import { ANNOTATION_FORMATS } from '@/lib/enums';
import { formatDateTime } from '@/lib/format';
import { ParamsSchemaView } from '../components/ParamsSchemaView';
import { paramRows } from '../lib/paramsSchema';

type Manipulator = Schemas['Manipulator'];

const STATUS_OPTIONS: { value: Schemas['ManipulatorStatus']; label: string }[] = [
  { value: 'ACTIVE', label: 'Active' },
  { value: 'EXPERIMENTAL', label: 'Experimental' },
  { value: 'DEPRECATED', label: 'Deprecated' },
];

function StatusSelect({ manipulator }: { manipulator: Manipulator }) {
  const setStatus = useSetManipulatorStatus();
  return (
    <Select
      size="small"
      aria-label={`Status of ${manipulator.name}`}
      value={manipulator.status}
      options={STATUS_OPTIONS}
      loading={setStatus.isPending}
      style={{ width: 140 }}
      onChange={(status) => setStatus.mutate({ name: manipulator.name, status })}
    />
  );
}

export function ManipulatorsPage() {
  const manipulators = useManipulators();
  const columns = useMemo<ColumnDef<Manipulator, unknown>[]>(
    () => [
      {
        header: 'Name',
        accessorKey: 'name',
        cell: ({ row }) => (
          <div style={{ minWidth: 260, maxWidth: 420 }}>
            <Typography.Text code style={{ whiteSpace: 'nowrap' }}>
              {row.original.name}
            </Typography.Text>
            {row.original.description ? (
              <div className="dm-muted">{row.original.description}</div>
            ) : null}
          </div>
        ),
      },
      {
        header: 'Category',
        accessorKey: 'category',
        cell: ({ getValue }) => <Tag>{String(getValue())}</Tag>,
      },
      {
        header: 'Scope',
        accessorKey: 'scope',
        cell: ({ row }) => row.original.scope.map((scope) => <Tag key={scope}>{scope}</Tag>),
      },
      {
        header: 'Task types',
        accessorKey: 'compatible_task_types',
        cell: ({ row }) => <TaskTags tasks={row.original.compatible_task_types} />,
      },
      {
        header: 'Formats',
        accessorKey: 'compatible_annotation_fmts',
        cell: ({ row }) => (
          <Space size={[0, 4]} wrap>
            {row.original.compatible_annotation_fmts.map((format) => (
              <Tag key={format} bordered={false}>
                {ANNOTATION_FORMATS[format]}
              </Tag>
            ))}
            {row.original.output_annotation_fmt ? (
              <Tooltip title="The format after this step">
                <Tag color="purple">→ {ANNOTATION_FORMATS[row.original.output_annotation_fmt]}</Tag>
              </Tooltip>
            ) : null}
          </Space>
        ),
      },
      {
        header: 'Parameters',
        id: 'parameters',
        cell: ({ row }) => {
          const names = paramRows(row.original.params_schema).map((p) => p.name);
          return names.length === 0 ? (
            <span className="dm-muted">none</span>
          ) : (
            <Space size={[0, 4]} wrap>
              {names.map((name) => (
                <Typography.Text key={name} code>
                  {name}
                </Typography.Text>
              ))}
            </Space>
          );
        },
      },
      { header: 'Version', accessorKey: 'version' },
      {
        header: 'Updated',
        accessorKey: 'updated_at',
        cell: ({ row }) => formatDateTime(row.original.updated_at),
      },
      {
        header: 'Status',
        accessorKey: 'status',
        cell: ({ row }) => <StatusSelect manipulator={row.original} />,
      },
    ],
    [],
  );

  return (
    <>
      <PageHeader
        title="Manipulators"
        subtitle="The catalog pipelines are built from. Experimental manipulators stay usable from the API and CLI but are disabled in the pipeline wizard; deprecated ones are hidden there. Expand a row for its parameters and their JSON Schema."
      />
      {manipulators.isError ? (
        <ErrorResult error={manipulators.error} onRetry={() => void manipulators.refetch()} />
      ) : (
        <DataTable
          label="Manipulators"
          columns={columns}
          data={manipulators.data ?? []}
          getRowId={(m) => m.name}
          loading={manipulators.isPending}
          fetching={manipulators.isFetching}
          renderExpanded={(m) => <ParamsSchemaView name={m.name} schema={m.params_schema} />}
          empty={
            <EmptyState
              title="The catalog is empty"
              hint="The registry fills it from the code at start-up; restart the dataset-registry."
            />
          }
        />
      )}
    </>
  );
}
