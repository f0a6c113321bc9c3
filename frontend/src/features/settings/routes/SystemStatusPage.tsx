import { Alert, Card, Descriptions, Tag } from 'antd';
import { problemText } from '@/api/problem';
import { PageSkeleton } from '@/components/Loading';
import { PageHeader } from '@/components/PageHeader';
import { formatDateTime } from '@/lib/format';
import { useHealth } from '../api/health';

export function SystemStatusPage() {
  const health = useHealth();
  return (
    <>
      <PageHeader
        title="System status"
        subtitle="The dataset registry and its database, checked every 10 seconds. Worker and queue dashboards arrive with release 2."
      />
      {health.isPending ? (
        <PageSkeleton />
      ) : (
        <Card>
          {health.isError ? (
            <Alert
              type="error"
              showIcon
              message={problemText(health.error).title}
              description={problemText(health.error).detail}
            />
          ) : (
            <Descriptions column={1} bordered size="small">
              <Descriptions.Item label="Service">{health.data.service}</Descriptions.Item>
              <Descriptions.Item label="Version">{health.data.version}</Descriptions.Item>
              <Descriptions.Item label="Status">
                <Tag color={health.data.status === 'ok' ? 'success' : 'error'}>
                  {health.data.status}
                </Tag>
              </Descriptions.Item>
              <Descriptions.Item label="Database">
                <Tag color={health.data.database.status === 'up' ? 'success' : 'error'}>
                  {health.data.database.status}
                </Tag>
                {health.data.database.latency_ms !== null &&
                health.data.database.latency_ms !== undefined
                  ? `${health.data.database.latency_ms.toFixed(1)} ms`
                  : null}
                {health.data.database.error ? (
                  <div className="dm-muted">{health.data.database.error}</div>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label="Checked">
                {formatDateTime(new Date(health.dataUpdatedAt).toISOString())}
              </Descriptions.Item>
            </Descriptions>
          )}
        </Card>
      )}
    </>
  );
}
