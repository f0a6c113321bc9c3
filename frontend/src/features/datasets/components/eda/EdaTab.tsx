import { Alert, Flex, Space } from 'antd';
import { useMemo } from 'react';
import type { Schemas } from '@/api/client';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { PageSkeleton } from '@/components/Loading';
import { formatRelative } from '@/lib/format';
import { isEdaLive, useEda, useRerunEda } from '../../api/eda';
import { VersionPicker, type VersionTabProps } from '../VersionPicker';
import { EdaReportView } from './EdaReportView';
import { EdaRunStatus } from './EdaRunStatus';
import { datasetFiles } from './links';
import './eda.css';

/** The report shape this GUI reads (`EDA_REPORT_VERSION`). */
const REPORT_VERSION = 1;

/** One version's EDA: its run (live while it runs) and the report of its last finished run. */
function VersionEda({ dataset }: { dataset: Schemas['Dataset'] }) {
  const eda = useEda(dataset.id);
  const rerun = useRerunEda();
  const files = useMemo(() => datasetFiles(dataset), [dataset]);
  if (eda.isPending) {
    return <PageSkeleton />;
  }
  if (eda.isError) {
    return <ErrorResult error={eda.error} onRetry={() => void eda.refetch()} />;
  }
  const run = eda.data;
  const report = run.report;
  const live = isEdaLive(run.status);
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <EdaRunStatus
        run={run}
        datasetReady={dataset.status === 'READY'}
        onRerun={() => rerun.mutate(dataset.id)}
        rerunning={rerun.isPending}
        rerunError={rerun.error}
      />
      {report && (live || run.status === 'FAILED') ? (
        <Alert
          type="info"
          showIcon
          message={
            live
              ? 'Showing the report of the previous run; the new one replaces it when it ends.'
              : 'Showing the report of the last run that finished.'
          }
        />
      ) : null}
      {report && report.schema_version !== REPORT_VERSION ? (
        <Alert
          type="warning"
          showIcon
          message={`This report has shape version ${report.schema_version}; this page reads version ${REPORT_VERSION}. Re-run the EDA if sections look wrong.`}
        />
      ) : null}
      {report ? (
        <EdaReportView report={report} files={files} finishedAt={run.finished_at} />
      ) : live ? null : run.status === 'FAILED' ? null : (
        <EmptyState
          title="No EDA for this version yet"
          hint={
            dataset.status === 'READY'
              ? 'It runs by itself when a version becomes ready; start it now with “Run EDA”.'
              : `The EDA runs once this version is READY (it is ${dataset.status.toLowerCase()}${dataset.updated_at ? `, updated ${formatRelative(dataset.updated_at)}` : ''}).`
          }
        />
      )}
    </Space>
  );
}

/**
 * The EDA tab of a group's page: pick a version (split · version, as the lineage tab does) and see
 * its statistics, health checks and gallery.
 */
export function EdaTab({ datasets, versions, selectedId, onSelect }: VersionTabProps) {
  const dataset = datasets.find((d) => d.id === selectedId);
  if (versions.length === 0 || !dataset) {
    return (
      <EmptyState
        title="No versions yet"
        hint="An EDA is about a dataset version; register one in this group first."
      />
    );
  }
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Flex gap={16} wrap align="center">
        <VersionPicker versions={versions} selectedId={selectedId} onSelect={onSelect} />
      </Flex>
      {/* A fresh view per version: a refused re-run of one version is not shown on another. */}
      <VersionEda key={dataset.id} dataset={dataset} />
    </Space>
  );
}
