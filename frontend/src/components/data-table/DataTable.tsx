import { DownOutlined, RightOutlined } from '@ant-design/icons';
import {
  type ColumnDef,
  type OnChangeFn,
  type Row,
  type SortingState,
  flexRender,
  getCoreRowModel,
  getExpandedRowModel,
  useReactTable,
} from '@tanstack/react-table';
import { Button, Pagination } from 'antd';
import { Fragment, type ReactNode, useState } from 'react';
import { TableSkeleton } from '../Loading';

export interface ServerPagination {
  /** 1-based. */
  page: number;
  pageSize: number;
  total: number;
  onChange: (page: number, pageSize: number) => void;
  pageSizeOptions?: number[];
}

export interface DataTableProps<T> {
  columns: ColumnDef<T, unknown>[];
  data: readonly T[];
  getRowId: (row: T) => string;
  /** First load: a skeleton. Later loads keep the rows on screen, dimmed. */
  loading?: boolean;
  fetching?: boolean;
  /** Sorting happens on the server: the table only reports what the user clicked. */
  sorting?: SortingState;
  onSortingChange?: OnChangeFn<SortingState>;
  pagination?: ServerPagination;
  /** When given, each row gets an expander and this renders its detail row. */
  renderExpanded?: (row: T) => ReactNode;
  empty: ReactNode;
  /** An accessible name for the table (also what end-to-end tests find it by). */
  label: string;
}

/**
 * The data-table kit: TanStack Table for the model (columns, sorting state, expansion), our markup
 * for the look, Ant Design's pagination. Filtering, sorting and paging are server-side; the caller
 * keeps their state in the URL.
 */
export function DataTable<T>({
  columns,
  data,
  getRowId,
  loading,
  fetching,
  sorting,
  onSortingChange,
  pagination,
  renderExpanded,
  empty,
  label,
}: DataTableProps<T>) {
  const [expanded, setExpanded] = useState<Record<string, boolean>>({});
  const table = useReactTable<T>({
    columns,
    data: data as T[],
    getRowId,
    state: { sorting: sorting ?? [], expanded },
    onExpandedChange: (updater) =>
      setExpanded((old) => {
        const next = typeof updater === 'function' ? updater(old) : updater;
        return next === true ? {} : next;
      }),
    onSortingChange,
    manualSorting: true,
    manualPagination: true,
    enableSortingRemoval: true,
    enableMultiSort: false,
    getRowCanExpand: () => renderExpanded !== undefined,
    getCoreRowModel: getCoreRowModel(),
    getExpandedRowModel: getExpandedRowModel(),
  });

  if (loading && data.length === 0) {
    return <TableSkeleton />;
  }

  const columnCount = columns.length + (renderExpanded ? 1 : 0);
  const expander = (row: Row<T>) => (
    <td className="dm-table-expander">
      <Button
        type="text"
        size="small"
        aria-label={row.getIsExpanded() ? 'Collapse row' : 'Expand row'}
        aria-expanded={row.getIsExpanded()}
        icon={row.getIsExpanded() ? <DownOutlined /> : <RightOutlined />}
        onClick={row.getToggleExpandedHandler()}
      />
    </td>
  );

  return (
    <div className="dm-table-wrap" data-fetching={fetching ? 'true' : 'false'}>
      <table className="dm-table" aria-label={label} aria-busy={fetching ? 'true' : 'false'}>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {renderExpanded ? <th className="dm-table-expander" aria-label="Expand" /> : null}
              {group.headers.map((header) => {
                const sortable = header.column.getCanSort() && onSortingChange !== undefined;
                const direction = header.column.getIsSorted();
                return (
                  <th
                    key={header.id}
                    aria-sort={
                      direction === 'asc'
                        ? 'ascending'
                        : direction === 'desc'
                          ? 'descending'
                          : undefined
                    }
                    style={{ width: header.column.columnDef.size }}
                  >
                    {sortable ? (
                      <button
                        type="button"
                        className="dm-table-sort"
                        onClick={header.column.getToggleSortingHandler()}
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span className="dm-table-sort-icon" aria-hidden>
                          {direction === 'asc' ? '▲' : direction === 'desc' ? '▼' : '⇅'}
                        </span>
                      </button>
                    ) : (
                      flexRender(header.column.columnDef.header, header.getContext())
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {table.getRowModel().rows.length === 0 ? (
            <tr>
              <td colSpan={columnCount} className="dm-table-empty">
                {empty}
              </td>
            </tr>
          ) : (
            table.getRowModel().rows.map((row) => (
              <Fragment key={row.id}>
                <tr
                  data-row-id={row.id}
                  className={row.getIsExpanded() ? 'dm-row-open' : undefined}
                >
                  {renderExpanded ? expander(row) : null}
                  {row.getVisibleCells().map((cell) => (
                    <td key={cell.id}>
                      {flexRender(cell.column.columnDef.cell, cell.getContext())}
                    </td>
                  ))}
                </tr>
                {row.getIsExpanded() && renderExpanded ? (
                  <tr className="dm-table-detail">
                    <td colSpan={columnCount}>{renderExpanded(row.original)}</td>
                  </tr>
                ) : null}
              </Fragment>
            ))
          )}
        </tbody>
      </table>
      {pagination && pagination.total > 0 ? (
        <Pagination
          className="dm-table-pagination"
          current={pagination.page}
          pageSize={pagination.pageSize}
          total={pagination.total}
          showSizeChanger
          pageSizeOptions={pagination.pageSizeOptions ?? [10, 20, 50, 100]}
          showTotal={(total, [from, to]) => `${from}–${to} of ${total}`}
          onChange={pagination.onChange}
        />
      ) : null}
    </div>
  );
}
