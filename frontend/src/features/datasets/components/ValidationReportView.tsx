import { Alert, Col, Descriptions, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { Schemas } from '@/api/client';
import { formatCount } from '@/lib/format';
import { locationText } from '../api/shapes';
import { ClassHistogram } from '@/components/ClassHistogram';

const SEVERITY_COLOURS: Record<Schemas['Severity'], string> = {
  error: 'error',
  warning: 'warning',
  note: 'default',
};
const SEVERITY_ORDER: Schemas['Severity'][] = ['error', 'warning', 'note'];

const problemColumns: ColumnsType<Schemas['ValidationProblem'] & { key: number }> = [
  {
    title: 'Severity',
    dataIndex: 'severity',
    width: 100,
    render: (severity: Schemas['Severity']) => (
      <Tag color={SEVERITY_COLOURS[severity]}>{severity}</Tag>
    ),
    filters: SEVERITY_ORDER.map((value) => ({ text: value, value })),
    onFilter: (value, record) => record.severity === value,
    sorter: (a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  },
  {
    title: 'Location',
    key: 'location',
    width: '30%',
    render: (_, record) => (
      <Typography.Text code style={{ overflowWrap: 'anywhere' }}>
        {locationText(record.location)}
      </Typography.Text>
    ),
  },
  { title: 'Problem', dataIndex: 'message' },
  {
    title: 'Code',
    dataIndex: 'code',
    width: 150,
    render: (code: string) => <Typography.Text type="secondary">{code}</Typography.Text>,
  },
];

function verdict(result: Schemas['ValidatePathResponse']) {
  const { report } = result;
  if (!result.exists) {
    return (
      <Alert
        type="error"
        showIcon
        message="Path not found on the NAS"
        description={`Nothing at ${result.storage_uri}. Check the path: it is relative to the NAS root.`}
      />
    );
  }
  if (!result.valid) {
    return (
      <Alert
        type="error"
        showIcon
        message={`Cannot be registered: ${report.errors} error${report.errors === 1 ? '' : 's'}`}
        description="Fix the data on the NAS (or pick the right annotation format) and validate again."
      />
    );
  }
  return (
    <Alert
      type={report.warnings > 0 ? 'warning' : 'success'}
      showIcon
      message={
        report.warnings > 0
          ? `Valid with ${report.warnings} warning${report.warnings === 1 ? '' : 's'} — ready to register`
          : 'Valid — ready to register'
      }
    />
  );
}

/** The validator's report on a NAS path: verdict, counts, class histogram and every problem. */
export function ValidationReportView({ result }: { result: Schemas['ValidatePathResponse'] }) {
  const { report } = result;
  const problems = report.problems.map((problem, key) => ({ ...problem, key }));
  const listed = problems.length;
  const counted = Object.values(report.problem_counts).reduce(
    (sum, c) => sum + c.error + c.warning + c.note,
    0,
  );
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }} data-testid="validation-report">
      {verdict(result)}
      {result.exists ? (
        <>
          <Row gutter={[16, 16]}>
            <Col span={8} sm={4}>
              <Statistic title="Images" value={formatCount(report.counts.images)} />
            </Col>
            <Col span={8} sm={5}>
              <Statistic title="Annotations" value={formatCount(report.counts.annotations)} />
            </Col>
            <Col span={8} sm={5}>
              <Statistic title="Classes" value={formatCount(report.counts.classes)} />
            </Col>
            <Col span={12} sm={5}>
              <Statistic
                title="Errors"
                value={report.errors}
                valueStyle={report.errors > 0 ? { color: '#cf1322' } : undefined}
              />
            </Col>
            <Col span={12} sm={5}>
              <Statistic
                title="Warnings"
                value={report.warnings}
                valueStyle={report.warnings > 0 ? { color: '#d48806' } : undefined}
              />
            </Col>
          </Row>
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label="Images without annotations">
              {formatCount(report.counts.images_without_annotations)}
            </Descriptions.Item>
            <Descriptions.Item label="Crowd annotations">
              {formatCount(report.counts.crowd_annotations)}
            </Descriptions.Item>
            <Descriptions.Item label="Annotation types">
              {Object.entries(report.counts.annotation_types).length > 0
                ? Object.entries(report.counts.annotation_types).map(([type, count]) => (
                    <Tag key={type}>
                      {type} {formatCount(count)}
                    </Tag>
                  ))
                : '—'}
            </Descriptions.Item>
            {report.layout ? (
              <Descriptions.Item label="Layout">
                images in <Typography.Text code>{report.layout.image_root || '.'}</Typography.Text>
                {report.layout.annotation_files.length > 0 ? (
                  <>
                    , annotations in{' '}
                    {report.layout.annotation_files.map((file) => (
                      <Typography.Text code key={file}>
                        {file}
                      </Typography.Text>
                    ))}
                  </>
                ) : null}
              </Descriptions.Item>
            ) : null}
          </Descriptions>
          <section aria-label="Class histogram section">
            <Typography.Title level={5}>Class histogram</Typography.Title>
            <ClassHistogram classes={report.class_histogram} />
          </section>
        </>
      ) : null}
      {listed > 0 ? (
        <section aria-label="Problems">
          <Typography.Title level={5}>
            Problems{' '}
            <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 400 }}>
              {report.errors} error{report.errors === 1 ? '' : 's'}, {report.warnings} warning
              {report.warnings === 1 ? '' : 's'}
              {counted > listed ? ` — ${listed} of ${counted} listed` : ''}
            </Typography.Text>
          </Typography.Title>
          <Table
            size="small"
            columns={problemColumns}
            dataSource={problems}
            pagination={problems.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
          />
        </section>
      ) : null}
    </Space>
  );
}
