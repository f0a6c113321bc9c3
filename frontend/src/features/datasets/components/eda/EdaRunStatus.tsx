import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, Progress, Space, Tooltip, Typography } from 'antd';
import type { Schemas } from '@/api/client';
import { problemText } from '@/api/problem';
import { EdaStatusBadge } from '@/components/StatusBadge';
import { formatCount, formatDateTime, formatDuration, formatRelative } from '@/lib/format';
import { isEdaLive } from '../../api/eda';
import { edaPercent, stageText } from './progress';

function tookMs(run: Schemas['EdaRun']): number | null {
  if (!run.started_at || !run.finished_at) {
    return null;
  }
  return Math.max(0, Date.parse(run.finished_at) - Date.parse(run.started_at));
}

/**
 * The run's state and the "Re-run EDA" button: the stage and a progress bar while it is queued or
 * running, the error when it failed, when it finished otherwise. A refused re-run (409) is shown
 * here, next to the button.
 */
export function EdaRunStatus({
  run,
  datasetReady,
  onRerun,
  rerunning,
  rerunError,
}: {
  run: Schemas['EdaRun'];
  datasetReady: boolean;
  onRerun: () => void;
  rerunning: boolean;
  rerunError: unknown;
}) {
  const live = isEdaLive(run.status);
  const percent = edaPercent(run);
  const took = tookMs(run);
  const disabledReason = live
    ? 'A run is in progress; its report replaces this one when it ends.'
    : !datasetReady
      ? 'Only READY versions are analysed.'
      : undefined;
  const problem = rerunError ? problemText(rerunError) : undefined;
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Flex gap={12} wrap align="center" justify="space-between">
        <Flex gap={12} wrap align="center">
          <span data-testid="eda-status" data-status={run.status}>
            <EdaStatusBadge status={run.status} />
          </span>
          {run.status === 'DONE' && run.finished_at ? (
            <Typography.Text type="secondary">
              Finished{' '}
              <span title={formatDateTime(run.finished_at)}>{formatRelative(run.finished_at)}</span>
              {took !== null ? ` in ${formatDuration(took)}` : ''}
              {run.attempts > 1 ? ` · ${run.attempts} attempts` : ''}
            </Typography.Text>
          ) : null}
          {run.status === 'PENDING' && run.requested_at ? (
            <Typography.Text type="secondary">
              Queued{' '}
              <span title={formatDateTime(run.requested_at)}>
                {formatRelative(run.requested_at)}
              </span>
            </Typography.Text>
          ) : null}
        </Flex>
        <Tooltip title={disabledReason}>
          <Button
            icon={<ReloadOutlined aria-hidden />}
            onClick={onRerun}
            loading={rerunning}
            disabled={Boolean(disabledReason)}
          >
            {run.status === 'NOT_REQUESTED' ? 'Run EDA' : 'Re-run EDA'}
          </Button>
        </Tooltip>
      </Flex>
      {live ? (
        <div
          data-testid="eda-progress"
          data-stage={run.current_stage ?? ''}
          data-processed={run.processed_count}
          data-total={run.total_count}
        >
          <Typography.Text strong>
            {stageText(run.status === 'RUNNING' ? run.current_stage : null)}
          </Typography.Text>
          <Progress
            percent={percent ?? 0}
            status="active"
            showInfo={percent !== null}
            aria-label="EDA progress"
          />
          <Typography.Text type="secondary">
            {run.total_count > 0
              ? `${formatCount(run.processed_count)} of ${formatCount(run.total_count)}`
              : run.status === 'PENDING'
                ? 'Queued: a worker picks it up shortly.'
                : 'Counting…'}
          </Typography.Text>
        </div>
      ) : null}
      {run.status === 'FAILED' ? (
        <Alert
          type="error"
          showIcon
          message="The EDA failed"
          description={
            <span data-testid="eda-error">
              {run.error_message ?? 'No reason was recorded.'}
              {run.attempts > 0 ? ` (attempt ${run.attempts})` : ''}
            </span>
          }
        />
      ) : null}
      {problem ? (
        <Alert
          type="warning"
          showIcon
          data-testid="eda-rerun-error"
          message={problem.title}
          description={problem.detail}
        />
      ) : null}
    </Space>
  );
}
