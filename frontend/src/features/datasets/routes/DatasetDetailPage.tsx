import { PlayCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Result, Space, Tabs, Typography } from 'antd';
import { Suspense, lazy, useMemo } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { PageSkeleton } from '@/components/Loading';
import { PageHeader } from '@/components/PageHeader';
import { TaskTags } from '@/components/TaskTags';
import { ANNOTATION_FORMATS, MODALITIES } from '@/lib/enums';
import { isNotFound, useGroup } from '@/api/groups';
import { DatasetTypeTag } from '../components/DatasetTypeTag';
import { registerVersionUrl, runPipelineUrl } from '../components/presentation';
import { GroupFacts } from '../components/GroupFacts';
import { LineageView } from '../components/LineageView';
import { VersionsTable } from '../components/VersionsTable';
import { defaultOption, optionsFromDatasets } from '../components/versions';

type Tab = 'info' | 'samples' | 'eda' | 'lineage';
const OPEN_TABS: readonly Tab[] = ['info', 'samples', 'eda', 'lineage'];
/** URL parameters of the samples tab that name things of one version (a class, a page). */
const VERSION_SCOPED = ['class', 'page'];

// The EDA tab draws with ECharts, the largest library of the GUI: it loads when the tab opens.
const EdaTab = lazy(() =>
  import('../components/eda/EdaTab').then((module) => ({ default: module.EdaTab })),
);
const SamplesTab = lazy(() =>
  import('../components/samples/SamplesTab').then((module) => ({ default: module.SamplesTab })),
);

function tabOf(raw: string | null): Tab {
  return OPEN_TABS.find((tab) => tab === raw) ?? 'info';
}

function NotFound() {
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title="Dataset group not found"
      subTitle="It may have been deleted, or the link is wrong."
      extra={
        <Button type="primary" onClick={() => navigate('/datasets')}>
          Back to datasets
        </Button>
      }
    />
  );
}

export function DatasetDetailPage() {
  const { groupId } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const group = useGroup(groupId);
  const tab = tabOf(params.get('tab'));
  const versions = useMemo(() => optionsFromDatasets(group.data?.datasets ?? []), [group.data]);
  const requested = params.get('version');
  const selectedVersion =
    versions.find((option) => option.id === requested)?.id ?? defaultOption(versions)?.id;

  // Tab and version live in the URL (a lineage view can be shared); `info` is the default.
  const setView = (next: { tab?: Tab; version?: string }) => {
    setParams(
      (current) => {
        const updated = new URLSearchParams(current);
        const nextTab = next.tab ?? tab;
        if (nextTab === 'info') updated.delete('tab');
        else updated.set('tab', nextTab);
        if (next.version && next.version !== updated.get('version')) {
          // Another version has other classes and pages; the seed (an order) still applies.
          VERSION_SCOPED.forEach((key) => updated.delete(key));
          updated.set('version', next.version);
        }
        return updated;
      },
      { replace: next.version !== undefined && next.tab === undefined },
    );
  };

  if (group.isPending) {
    return <PageSkeleton />;
  }
  if (group.isError) {
    return isNotFound(group.error) ? (
      <NotFound />
    ) : (
      <ErrorResult error={group.error} onRetry={() => void group.refetch()} />
    );
  }

  const data = group.data;

  return (
    <>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={[{ title: <Link to="/datasets">Datasets</Link> }, { title: data.name }]}
      />
      <PageHeader
        title={data.name}
        subtitle={
          <Space size={[8, 4]} wrap style={{ marginTop: 6 }}>
            <DatasetTypeTag type={data.dataset_type} />
            <span>{ANNOTATION_FORMATS[data.annotation_format]}</span>
            <span aria-hidden>·</span>
            <span>{MODALITIES[data.modality]}</span>
            <TaskTags tasks={data.task_types} />
          </Space>
        }
        extra={
          <>
            <Button
              type="primary"
              icon={<PlayCircleOutlined aria-hidden />}
              disabled={data.datasets.length === 0}
              onClick={() => navigate(runPipelineUrl(data.id))}
            >
              Run pipeline
            </Button>
            <Button
              icon={<PlusOutlined aria-hidden />}
              onClick={() => navigate(registerVersionUrl(data.id))}
            >
              Register new version
            </Button>
          </>
        }
      />
      <Tabs
        activeKey={tab}
        onChange={(key) => setView({ tab: tabOf(key) })}
        items={[
          {
            key: 'info',
            label: 'Info',
            children: (
              <Space direction="vertical" size={24} style={{ width: '100%' }}>
                <GroupFacts group={data} />
                <section aria-label="Versions">
                  <Typography.Title level={5}>Splits and versions</Typography.Title>
                  <VersionsTable
                    datasets={data.datasets}
                    onLineage={(version) => setView({ tab: 'lineage', version })}
                    onEda={(version) => setView({ tab: 'eda', version })}
                    onSamples={(version) => setView({ tab: 'samples', version })}
                    empty={
                      <EmptyState
                        title="No versions yet"
                        hint="Register a folder on the NAS as this group's first version."
                        action={
                          <Button
                            type="primary"
                            onClick={() => navigate(registerVersionUrl(data.id))}
                          >
                            Register the first version
                          </Button>
                        }
                      />
                    }
                  />
                </section>
              </Space>
            ),
          },
          {
            key: 'samples',
            label: 'Samples',
            children: (
              <Suspense fallback={<PageSkeleton />}>
                <SamplesTab
                  datasets={data.datasets}
                  versions={versions}
                  selectedId={selectedVersion}
                  onSelect={(version) => setView({ version })}
                />
              </Suspense>
            ),
          },
          {
            key: 'eda',
            label: 'EDA',
            children: (
              <Suspense fallback={<PageSkeleton />}>
                <EdaTab
                  datasets={data.datasets}
                  versions={versions}
                  selectedId={selectedVersion}
                  onSelect={(version) => setView({ version })}
                />
              </Suspense>
            ),
          },
          {
            key: 'lineage',
            label: 'Lineage',
            children: (
              <LineageView
                versions={versions}
                selectedId={selectedVersion}
                onSelect={(version) => setView({ version })}
              />
            ),
          },
        ]}
      />
    </>
  );
}
