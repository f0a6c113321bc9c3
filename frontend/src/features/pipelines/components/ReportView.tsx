import { Alert, Collapse, Space, Table, Typography } from 'antd';
import type { Schemas } from '@/api/client';
import { formatCount } from '@/lib/format';
import { stepPathLabel } from '../utils/report';
import { problemListStyle } from './styles';

function arrow(before: number, after: number) {
  return before === after ? formatCount(after) : `${formatCount(before)} → ${formatCount(after)}`;
}

/** The engine's report: per-step counts, warnings, renames and conversion tallies. */
export function ReportView({
  report,
  label = stepPathLabel,
}: {
  report: Schemas['PipelineReport'];
  label?: (path: string) => string;
}) {
  const read = {
    steps: report.steps,
    warnings: report.warnings,
    renames: report.renames,
    conversion: report.conversion.summary,
  };
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {read.warnings.length > 0 ? (
        <Alert
          type="warning"
          showIcon
          data-testid="report-warnings"
          message={`${read.warnings.length} warning${read.warnings.length === 1 ? '' : 's'}`}
          description={
            <ul style={problemListStyle}>
              {read.warnings.map((w, i) => (
                <li key={i}>
                  <Typography.Text strong>{label(w.step)}</Typography.Text>: {w.message}
                </li>
              ))}
            </ul>
          }
        />
      ) : (
        <Typography.Text type="secondary">No warnings.</Typography.Text>
      )}
      {read.steps.length > 0 ? (
        <Table
          aria-label="Per-step counts"
          size="small"
          pagination={false}
          rowKey={(row) => row.step}
          dataSource={read.steps}
          columns={[
            { title: 'Step', key: 'step', render: (_: unknown, row) => label(row.step) },
            { title: 'Manipulator', dataIndex: 'manipulator', key: 'manipulator' },
            {
              title: 'Images',
              key: 'images',
              align: 'right',
              render: (_: unknown, row) => arrow(row.images_in, row.images_out),
            },
            {
              title: 'Annotations',
              key: 'annotations',
              align: 'right',
              render: (_: unknown, row) => arrow(row.annotations_in, row.annotations_out),
            },
            { title: 'Categories', dataIndex: 'categories_out', key: 'categories', align: 'right' },
          ]}
        />
      ) : null}
      {read.renames.length > 0 || read.conversion.length > 0 ? (
        <Collapse
          size="small"
          items={[
            ...(read.renames.length > 0
              ? [
                  {
                    key: 'renames',
                    label: `${read.renames.length} file rename${read.renames.length === 1 ? '' : 's'}`,
                    children: (
                      <Table
                        size="small"
                        aria-label="File renames"
                        rowKey={(row) => `${row.source}/${row.from}`}
                        dataSource={read.renames}
                        pagination={
                          read.renames.length > 10 ? { pageSize: 10, size: 'small' } : false
                        }
                        columns={[
                          { title: 'Source', dataIndex: 'source', key: 'source' },
                          { title: 'From', dataIndex: 'from', key: 'from' },
                          { title: 'To', dataIndex: 'to', key: 'to' },
                          { title: 'Why', dataIndex: 'reason', key: 'reason' },
                        ]}
                      />
                    ),
                  },
                ]
              : []),
            ...(read.conversion.length > 0
              ? [
                  {
                    key: 'conversion',
                    label: 'Conversion events',
                    children: (
                      <Table
                        size="small"
                        aria-label="Conversion events"
                        rowKey={(row) => `${row.action}/${row.reason}`}
                        dataSource={read.conversion}
                        pagination={false}
                        columns={[
                          { title: 'Action', dataIndex: 'action', key: 'action' },
                          { title: 'Reason', dataIndex: 'reason', key: 'reason' },
                          { title: 'Count', dataIndex: 'count', key: 'count', align: 'right' },
                        ]}
                      />
                    ),
                  },
                ]
              : []),
          ]}
        />
      ) : null}
    </Space>
  );
}
