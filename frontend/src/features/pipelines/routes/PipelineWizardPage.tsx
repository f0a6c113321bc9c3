import { Alert, Button, Card, Flex, Popconfirm, Space, Steps, Tooltip, Typography } from 'antd';
import { useMemo } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useShallow } from 'zustand/react/shallow';
import { ErrorResult } from '@/components/ErrorResult';
import { PageSkeleton } from '@/components/Loading';
import { PageHeader } from '@/components/PageHeader';
import { notifySuccess } from '@/lib/notify';
import { usePreviewPipeline } from '../api/previewPipeline';
import { useSubmitPipeline } from '../api/submitPipeline';
import { OutputStep } from '../components/OutputStep';
import { PostMergeStep } from '../components/PostMergeStep';
import { ProblemList } from '../components/ProblemList';
import { SourcesStep } from '../components/SourcesStep';
import { problemListStyle } from '../components/styles';
import { useSourceGroupPrefill } from '../hooks/useSourceGroupPrefill';
import { useWizardData } from '../hooks/useWizardData';
import { selectDraft, useWizardStore } from '../stores/wizardStore';
import { buildConfig, configKey } from '../utils/buildConfig';
import { effectiveDatasetType, findGroupByName } from '../utils/draft';
import { WIZARD_STEPS, sourceLabel, submitBlocker, validateStep } from '../utils/wizardValidation';

const MAX_REASONS = 6;

/** `/pipelines/new`: output → sources with their chains → post-merge, preview and submit. */
export function PipelineWizardPage() {
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const data = useWizardData();
  const draft = useWizardStore(useShallow(selectDraft));
  const current = useWizardStore((s) => s.current);
  const setCurrent = useWizardStore((s) => s.setCurrent);
  const reset = useWizardStore((s) => s.reset);
  const prefill = useSourceGroupPrefill(
    searchParams.get('source_group'),
    data.manipulators,
    data.isLoading ? undefined : data.groups,
  );
  const preview = usePreviewPipeline();
  const submit = useSubmitPipeline();

  const checks = useMemo(
    () => WIZARD_STEPS.map((_, index) => validateStep(index, draft, data.ctx)),
    [draft, data.ctx],
  );
  const config = useMemo(() => buildConfig(draft, data.groups), [draft, data.groups]);
  const currentKey = configKey(config);
  const previewedKey = preview.isSuccess ? configKey(preview.variables) : null;
  const allValid = checks.every((c) => c.valid);
  const blocker = submitBlocker({
    stepsValid: allValid,
    currentConfigKey: currentKey,
    previewedConfigKey: previewedKey,
  });
  const sourceLabels = draft.sources.map((s, i) =>
    sourceLabel(i, data.ctx.candidates.get(s.datasetId)),
  );

  if (data.error) {
    return <ErrorResult error={data.error} onRetry={data.refetch} />;
  }
  if (data.isLoading || prefill.isLoading) {
    return <PageSkeleton />;
  }

  const check = checks[current] ?? { valid: true, problems: [] };
  const reachable = (index: number) =>
    index <= current || checks.slice(0, index).every((c) => c.valid);
  const goTo = (index: number) => {
    setCurrent(index);
    window.scrollTo({ top: 0 });
  };
  const existing = findGroupByName(data.groups, draft.output.groupName);
  const stepCount = draft.sources.reduce((n, s) => n + s.steps.length, 0) + draft.postMerge.length;

  const onSubmit = () => {
    if (!config) {
      return;
    }
    submit.mutate(config, {
      onSuccess: (execution) => {
        notifySuccess(
          'Pipeline submitted',
          `Building ${config.output.group} ${config.output.split}.`,
        );
        navigate(`/pipelines/${execution.id}`);
        reset();
      },
    });
  };

  return (
    <div>
      <PageHeader
        title="New pipeline"
        subtitle="Build a dataset version from one or more READY versions"
        extra={
          <>
            <Link to="/pipelines">
              <Button>History</Button>
            </Link>
            <Popconfirm
              title="Discard this draft?"
              okText="Start over"
              cancelText="Keep"
              onConfirm={() => {
                reset();
                preview.reset();
                submit.reset();
              }}
            >
              <Button>Start over</Button>
            </Popconfirm>
          </>
        }
      />
      <Card>
        <Steps
          current={current}
          onChange={(index) => (reachable(index) ? goTo(index) : undefined)}
          items={WIZARD_STEPS.map((title, index) => ({
            title,
            disabled: !reachable(index),
            status:
              index === current
                ? 'process'
                : index < current
                  ? checks[index]?.valid
                    ? 'finish'
                    : 'error'
                  : 'wait',
          }))}
          style={{ marginBottom: 16 }}
        />
        <Typography.Paragraph type="secondary" data-testid="wizard-summary">
          {`${effectiveDatasetType(draft, existing)} · ${existing?.name ?? (draft.output.groupName.trim() || 'unnamed group')}${existing ? ' (existing)' : ''} · ${draft.output.split} · ${draft.output.annotationFormat} · ${draft.sources.length} source${draft.sources.length === 1 ? '' : 's'} · ${stepCount} step${stepCount === 1 ? '' : 's'}`}
        </Typography.Paragraph>

        {current === 0 ? (
          <OutputStep draft={draft} groups={data.groups} problems={check.problems} />
        ) : null}
        {current === 1 ? (
          <SourcesStep draft={draft} ctx={data.ctx} catalog={data.manipulators} />
        ) : null}
        {current === 2 ? (
          <PostMergeStep
            draft={draft}
            ctx={data.ctx}
            catalog={data.manipulators}
            config={config}
            preview={{
              data: preview.data,
              error: preview.error,
              isPending: preview.isPending,
              stale: preview.variables !== undefined && configKey(preview.variables) !== currentKey,
            }}
            onPreview={() => config && preview.mutate(config)}
            onGoToStep={goTo}
            sourceLabels={sourceLabels}
          />
        ) : null}

        {current === 2 && submit.error ? (
          <div style={{ marginTop: 16 }}>
            <ProblemList
              error={submit.error}
              draft={draft}
              sourceLabels={sourceLabels}
              onGoToStep={goTo}
              title="The pipeline was not submitted"
            />
          </div>
        ) : null}

        {!check.valid && check.problems.length > 0 && current > 0 ? (
          <Alert
            style={{ marginTop: 16 }}
            type="warning"
            showIcon
            data-testid="step-blockers"
            message={current === 2 ? 'Before submitting:' : 'To continue:'}
            description={
              <ul style={problemListStyle}>
                {check.problems.slice(0, MAX_REASONS).map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
                {check.problems.length > MAX_REASONS ? (
                  <li>and {check.problems.length - MAX_REASONS} more</li>
                ) : null}
              </ul>
            }
          />
        ) : null}

        <Flex justify="space-between" align="center" style={{ marginTop: 24 }} gap={16} wrap>
          <Button disabled={current === 0} onClick={() => goTo(current - 1)}>
            Back
          </Button>
          {current < WIZARD_STEPS.length - 1 ? (
            <Space>
              {!check.valid ? (
                <Typography.Text type="secondary" data-testid="next-reason">
                  {check.problems[0]?.message}
                </Typography.Text>
              ) : null}
              <Button type="primary" disabled={!check.valid} onClick={() => goTo(current + 1)}>
                Next
              </Button>
            </Space>
          ) : (
            <Space>
              {blocker ? (
                <Typography.Text type="secondary" data-testid="submit-reason">
                  {blocker}
                </Typography.Text>
              ) : null}
              <Tooltip title={blocker ?? undefined}>
                <Button
                  type="primary"
                  disabled={blocker !== null}
                  loading={submit.isPending}
                  onClick={onSubmit}
                >
                  Submit pipeline
                </Button>
              </Tooltip>
            </Space>
          )}
        </Flex>
      </Card>
    </div>
  );
}
