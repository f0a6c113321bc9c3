import { Collapse, Tag, Typography } from 'antd';
import type { ColumnDef } from '@tanstack/react-table';
import { useMemo } from 'react';
import { DataTable } from '@/components/data-table/DataTable';
import { EmptyState } from '@/components/EmptyState';
import { type ParamRow, paramRows, schemaDescription } from '../lib/paramsSchema';

/** A manipulator's params: a table read from its JSON Schema, and the schema itself. */
export function ParamsSchemaView({ name, schema }: { name: string; schema: unknown }) {
  const rows = useMemo(() => paramRows(schema), [schema]);
  const description = schemaDescription(schema);
  const columns = useMemo<ColumnDef<ParamRow, unknown>[]>(
    () => [
      {
        header: 'Parameter',
        accessorKey: 'name',
        cell: ({ row }) => (
          <span style={{ whiteSpace: 'nowrap' }}>
            <Typography.Text code>{row.original.name}</Typography.Text>
            {row.original.required ? (
              <Tag color="red" bordered={false}>
                required
              </Tag>
            ) : null}
          </span>
        ),
      },
      { header: 'Type', accessorKey: 'type' },
      {
        header: 'Default',
        accessorKey: 'defaultValue',
        cell: ({ row }) =>
          row.original.defaultValue === undefined ? (
            <span className="dm-muted">—</span>
          ) : (
            <Typography.Text code>{row.original.defaultValue}</Typography.Text>
          ),
      },
      {
        header: 'Range / values',
        accessorKey: 'constraint',
        cell: ({ row }) => row.original.constraint ?? <span className="dm-muted">—</span>,
      },
      {
        header: 'Description',
        accessorKey: 'description',
        cell: ({ row }) => row.original.description ?? <span className="dm-muted">—</span>,
      },
    ],
    [],
  );

  return (
    <div data-testid={`params-${name}`} style={{ display: 'grid', gap: 12 }}>
      {rows.length === 0 ? (
        <EmptyState title="No parameters" hint={description} />
      ) : (
        <>
          {description ? <div className="dm-muted">{description}</div> : null}
          <DataTable
            label={`Parameters of ${name}`}
            columns={columns}
            data={rows}
            getRowId={(row) => row.name}
            empty={<EmptyState title="No parameters" />}
          />
        </>
      )}
      <Collapse
        size="small"
        items={[
          {
            key: 'raw',
            label: 'Raw JSON Schema',
            children: (
              <pre style={{ margin: 0, maxHeight: 360, overflow: 'auto', fontSize: 12 }}>
                {JSON.stringify(schema, null, 2)}
              </pre>
            ),
          },
        ]}
      />
    </div>
  );
}
