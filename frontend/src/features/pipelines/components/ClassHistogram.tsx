import { Progress, Table, Typography } from 'antd';
import { useMemo } from 'react';
import type { Schemas } from '@/api/client';
import { formatCount } from '@/lib/format';

/** The output's classes, most annotated first, with a bar relative to the largest. */
export function ClassHistogram({ classes }: { classes: readonly Schemas['ClassTally'][] }) {
  const rows = useMemo(
    () =>
      [...classes].sort((a, b) => b.annotations - a.annotations || a.name.localeCompare(b.name)),
    [classes],
  );
  const max = rows[0]?.annotations ?? 0;
  const empty = rows.filter((c) => c.annotations === 0).length;
  return (
    <div>
      <Table<Schemas['ClassTally']>
        aria-label="Class histogram"
        size="small"
        rowKey="name"
        dataSource={rows}
        pagination={
          rows.length > 15 ? { pageSize: 15, size: 'small', showSizeChanger: false } : false
        }
        columns={[
          { title: 'Class', dataIndex: 'name', key: 'name' },
          {
            title: 'Annotations',
            dataIndex: 'annotations',
            key: 'annotations',
            align: 'right',
            render: (value: number) => formatCount(value),
          },
          {
            title: 'Images',
            dataIndex: 'images',
            key: 'images',
            align: 'right',
            render: (value: number) => formatCount(value),
          },
          {
            title: 'Share',
            key: 'bar',
            width: '35%',
            render: (_: unknown, row) => (
              <Progress
                percent={max > 0 ? (row.annotations / max) * 100 : 0}
                showInfo={false}
                status="normal"
                size="small"
                aria-label={`${row.name}: ${row.annotations} annotations`}
              />
            ),
          },
        ]}
      />
      {empty > 0 ? (
        <Typography.Text type="secondary">
          {empty} of {rows.length} categories have no annotation left (they stay in the category
          list).
        </Typography.Text>
      ) : null}
    </div>
  );
}
