import {
  Alert,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Row,
  Space,
  Statistic,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import type { Schemas } from '@/api/client';
import { ClassHistogram } from '@/components/ClassHistogram';
import type { DatamillPipelineConfig } from '@/api/pipeline-config';
import { formatCount } from '@/lib/format';
import { useWizardStore } from '../stores/wizardStore';
import type { WizardDraft } from '../utils/draft';
import { locateProblem } from '../utils/problemPaths';
import { MERGE, type ValidationContext, checkPostMerge } from '../utils/wizardValidation';
import { ManipulatorChain } from './ManipulatorChain';
import { ProblemList } from './ProblemList';
import { ReportView } from './ReportView';
import { jsonStyle } from './styles';

export interface PreviewState {
  data: Schemas['PipelinePreview'] | undefined;
  error: unknown;
  isPending: boolean;
  /** The preview shown is of another config than the current one. */
  stale: boolean;
}

/** Step 3: the chain after the merge, then the dry run of the whole pipeline. */
export function PostMergeStep({
  draft,
  ctx,
  catalog,
  config,
  preview,
  onPreview,
  onGoToStep,
  sourceLabels,
}: {
  draft: WizardDraft;
  ctx: ValidationContext;
  catalog: readonly Schemas['Manipulator'][];
  config: DatamillPipelineConfig | null;
  preview: PreviewState;
  onPreview: () => void;
  onGoToStep: (step: number) => void;
  sourceLabels: readonly string[];
}) {
  const setPostMerge = useWizardStore((s) => s.setPostMerge);
  const check = checkPostMerge(draft, ctx);
  const classNames = useMemo(
    () => [
      ...new Set(draft.sources.flatMap((s) => ctx.candidates.get(s.datasetId)?.classNames ?? [])),
    ],
    [draft.sources, ctx.candidates],
  );
  const sourceImages = draft.sources.reduce(
    (sum, s) => sum + (ctx.candidates.get(s.datasetId)?.dataset.image_count ?? 0),
    0,
  );
  const explicitMerge = draft.postMerge[0]?.name === MERGE;
  const label = (path: string) => locateProblem(path, draft, sourceLabels).label;

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {draft.sources.length > 1 && !explicitMerge ? (
        <Alert
          type="info"
          showIcon
          message={`The ${draft.sources.length} sources are merged first (merge_datasets with default params: categories unified by name).`}
          description="Add merge_datasets from the list below to map synonyms (people → person) before they are unified."
        />
      ) : null}
      <Card size="small" title="Post-merge manipulators">
        <ManipulatorChain
          chainId="post-merge"
          steps={draft.postMerge}
          onChange={setPostMerge}
          start={{
            scope: 'POST_MERGE',
            format: draft.output.annotationFormat,
            taskTypes: draft.output.taskTypes,
          }}
          catalog={catalog}
          check={check}
          classNames={classNames}
          emptyText="No post-merge manipulators."
        />
        {check.chain.length > 0 ? (
          <Alert type="error" showIcon style={{ marginTop: 12 }} message={check.chain.join('; ')} />
        ) : null}
      </Card>

      <Card
        size="small"
        title="Preview"
        extra={
          <Button
            type="primary"
            ghost
            onClick={onPreview}
            loading={preview.isPending}
            disabled={config === null}
          >
            Preview
          </Button>
        }
      >
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Typography.Text type="secondary" data-testid="source-image-total">
            The {draft.sources.length} source{draft.sources.length === 1 ? '' : 's'} hold{' '}
            {formatCount(sourceImages)} images before any manipulator. The preview runs the
            annotation phase on the real data: the counts below are exactly what the run writes.
          </Typography.Text>
          {preview.stale && preview.data ? (
            <Alert
              type="warning"
              showIcon
              message="The configuration changed since this preview; preview it again before submitting."
            />
          ) : null}
          {preview.error && !preview.isPending ? (
            <ProblemList
              error={preview.error}
              draft={draft}
              sourceLabels={sourceLabels}
              onGoToStep={onGoToStep}
              title="The preview failed"
            />
          ) : null}
          {preview.data && !preview.error ? (
            <div style={{ opacity: preview.stale ? 0.55 : 1 }} data-testid="preview-result">
              <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
                <Descriptions.Item label="Output">
                  <Typography.Text code>{preview.data.output.storage_uri}</Typography.Text>
                </Descriptions.Item>
                <Descriptions.Item label="Version">
                  {preview.data.output.version}
                  {preview.data.output.group_id ? '' : ' (new group)'}
                </Descriptions.Item>
              </Descriptions>
              <Row gutter={[16, 16]}>
                <Col xs={12} md={4}>
                  <Statistic
                    title="Images"
                    value={preview.data.summary.images}
                    formatter={(value) => (
                      <span data-testid="preview-images" data-value={value}>
                        {formatCount(Number(value))}
                      </span>
                    )}
                  />
                </Col>
                <Col xs={12} md={5}>
                  <Statistic
                    title="Annotations"
                    value={preview.data.summary.annotations}
                    formatter={(value) => (
                      <span data-testid="preview-annotations" data-value={value}>
                        {formatCount(Number(value))}
                      </span>
                    )}
                  />
                </Col>
                <Col xs={12} md={5}>
                  <Statistic
                    title="Categories"
                    value={preview.data.summary.categories}
                    formatter={(value) => (
                      <span data-testid="preview-categories" data-value={value}>
                        {formatCount(Number(value))}
                      </span>
                    )}
                  />
                </Col>
                <Col xs={12} md={5}>
                  <Statistic
                    title="Images copied"
                    value={preview.data.summary.images_copied}
                    formatter={(value) => (
                      <span data-testid="preview-copied" data-value={value}>
                        {formatCount(Number(value))}
                      </span>
                    )}
                  />
                </Col>
                <Col xs={12} md={5}>
                  <Statistic
                    title="Images transformed"
                    value={preview.data.summary.images_transformed}
                    formatter={(value) => (
                      <span data-testid="preview-transformed" data-value={value}>
                        {formatCount(Number(value))}
                      </span>
                    )}
                  />
                </Col>
              </Row>
              <Collapse
                style={{ marginTop: 16 }}
                defaultActiveKey={['histogram', 'report']}
                items={[
                  {
                    key: 'histogram',
                    label: `Class histogram (${preview.data.summary.classes.length} classes)`,
                    children: (
                      <ClassHistogram
                        classes={preview.data.summary.classes}
                        unusedNote={(unused) =>
                          `${unused} without annotations left (they stay in the category list)`
                        }
                      />
                    ),
                  },
                  {
                    key: 'report',
                    label: 'Steps and warnings',
                    children: <ReportView report={preview.data.report} label={label} />,
                  },
                ]}
              />
            </div>
          ) : null}
          {config ? (
            <Collapse
              size="small"
              items={[
                {
                  key: 'config',
                  label: 'Pipeline config (JSON)',
                  children: (
                    <pre style={jsonStyle} data-testid="config-json">
                      {JSON.stringify(config, null, 2)}
                    </pre>
                  ),
                },
              ]}
            />
          ) : null}
        </Space>
      </Card>
    </Space>
  );
}
