import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Popconfirm,
  Progress,
  Row,
  Space,
  Statistic,
  Typography,
} from 'antd';
import { Link, useParams } from 'react-router-dom';
import { ErrorResult } from '@/components/ErrorResult';
import { PageSkeleton } from '@/components/Loading';
import { PageHeader } from '@/components/PageHeader';
import { ExecutionStatusBadge } from '@/components/StatusBadge';
import { formatCount, formatDateTime, formatDuration, formatRelative } from '@/lib/format';
import { useCancelExecution } from '../api/cancelExecution';
import { isLive, useExecution } from '../api/execution';
import { ReportView } from '../components/ReportView';
import { jsonStyle } from '../components/styles';
import { useNow } from '../hooks/useNow';
import { elapsedMs, etaMs, percentOf } from '../utils/progress';
import { readConfigOutput, sourceCountOf } from '../utils/report';

const STAGES: Record<string, string> = {
  loading: 'Loading sources',
  transforming: 'Running manipulators',
  annotations: 'Writing annotations',
  images: 'Writing images',
  done: 'Done',
  cancelled: 'Cancelled',
};

/** `/pipelines/:id`: one execution, followed live until it ends. */
export function ExecutionPage() {
  const { id = '' } = useParams();
  const query = useExecution(id);
  const cancel = useCancelExecution();
  const execution = query.data;
  const live = isLive(execution?.status);
  const now = useNow(live);

  if (query.isLoading) {
    return <PageSkeleton />;
  }
  if (!execution) {
    return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  }

  const output = readConfigOutput(execution.config);
  const percent = percentOf(execution);
  const elapsed = elapsedMs(execution, now);
  const eta = etaMs(execution, now);
  const stage = execution.current_stage
    ? (STAGES[execution.current_stage] ?? execution.current_stage)
    : '—';
  const outputLabel = output
    ? `${output.group} · ${output.split} · ${output.version ?? 'next version'}`
    : '—';

  return (
    <div>
      <PageHeader
        title="Pipeline execution"
        subtitle={
          <Typography.Text type="secondary" copyable={{ text: execution.id }}>
            {execution.id}
          </Typography.Text>
        }
        extra={
          <>
            <Link to="/pipelines">
              <Button>History</Button>
            </Link>
            {live ? (
              <Popconfirm
                title="Cancel this pipeline?"
                description={
                  execution.status === 'PENDING'
                    ? 'It has not started; it is cancelled at once.'
                    : 'It stops at its next image; the partial output is not kept as a dataset.'
                }
                okText="Yes, cancel"
                cancelText="No"
                okButtonProps={{ danger: true }}
                onConfirm={() => cancel.mutate(execution.id)}
              >
                <Button danger loading={cancel.isPending} disabled={execution.cancel_requested}>
                  {execution.cancel_requested ? 'Cancelling…' : 'Cancel'}
                </Button>
              </Popconfirm>
            ) : null}
          </>
        }
      />
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {execution.status === 'FAILED' ? (
          <Alert
            type="error"
            showIcon
            message="The pipeline failed"
            description={execution.error_message ?? 'No reason was recorded.'}
            data-testid="execution-error"
          />
        ) : null}
        {execution.cancel_requested && live ? (
          <Alert
            type="warning"
            showIcon
            message="Cancellation requested: the worker stops at its next image."
          />
        ) : null}
        {execution.status === 'DONE' && execution.output_group_id ? (
          <Alert
            type="success"
            showIcon
            message={`Dataset ${outputLabel} is ready`}
            action={
              <Link to={`/datasets/${execution.output_group_id}`} data-testid="output-dataset-link">
                <Button type="primary">Open dataset</Button>
              </Link>
            }
          />
        ) : null}
        <Card>
          <Row gutter={[24, 16]} align="middle">
            <Col xs={24} md={6}>
              <Typography.Text type="secondary">Status</Typography.Text>
              <div
                data-testid="execution-status"
                data-status={execution.status}
                style={{ marginTop: 4 }}
              >
                <ExecutionStatusBadge status={execution.status} />
              </div>
            </Col>
            <Col xs={24} md={6}>
              <Statistic title="Stage" value={stage} valueStyle={{ fontSize: 18 }} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title="Elapsed"
                value={formatDuration(elapsed)}
                valueStyle={{ fontSize: 18 }}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={live ? 'Time left (est.)' : 'Finished'}
                value={live ? formatDuration(eta) : formatRelative(execution.finished_at)}
                valueStyle={{ fontSize: 18 }}
              />
            </Col>
            <Col span={24}>
              <div
                data-testid="execution-progress"
                data-processed={execution.processed_count}
                data-total={execution.total_count ?? ''}
              >
                <Progress
                  percent={percent ?? 0}
                  status={
                    execution.status === 'FAILED'
                      ? 'exception'
                      : execution.status === 'DONE'
                        ? 'success'
                        : live
                          ? 'active'
                          : 'normal'
                  }
                  aria-label="Progress"
                />
                <Typography.Text type="secondary">
                  {execution.total_count
                    ? `${formatCount(execution.processed_count)} of ${formatCount(execution.total_count)} images`
                    : live
                      ? 'Counting images…'
                      : `${formatCount(execution.processed_count)} images`}
                </Typography.Text>
              </div>
            </Col>
          </Row>
        </Card>
        <Card title="Details" size="small">
          <Descriptions size="small" column={{ xs: 1, md: 2, lg: 3 }}>
            <Descriptions.Item label="Output">
              {execution.output_group_id ? (
                <Link to={`/datasets/${execution.output_group_id}`}>{outputLabel}</Link>
              ) : (
                outputLabel
              )}
            </Descriptions.Item>
            <Descriptions.Item label="Type">{output?.datasetType || '—'}</Descriptions.Item>
            <Descriptions.Item label="Format">{output?.annotationFormat || '—'}</Descriptions.Item>
            <Descriptions.Item label="Sources">{sourceCountOf(execution.config)}</Descriptions.Item>
            <Descriptions.Item label="Attempts">{execution.attempts}</Descriptions.Item>
            <Descriptions.Item label="Worker">{execution.worker_id ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="Created">
              {formatDateTime(execution.created_at)}
            </Descriptions.Item>
            <Descriptions.Item label="Started">
              {formatDateTime(execution.started_at)}
            </Descriptions.Item>
            <Descriptions.Item label="Finished">
              {formatDateTime(execution.finished_at)}
            </Descriptions.Item>
          </Descriptions>
        </Card>
        {execution.report ? (
          <Card title="Report" size="small">
            <ReportView report={execution.report} />
          </Card>
        ) : null}
        <Collapse
          items={[
            {
              key: 'config',
              label: 'Config snapshot',
              children: (
                <pre style={jsonStyle} data-testid="execution-config">
                  {JSON.stringify(execution.config, null, 2)}
                </pre>
              ),
            },
          ]}
        />
      </Space>
    </div>
  );
}
