import { SwapOutlined } from '@ant-design/icons';
import { Button, Flex, Pagination, Select, Skeleton, Space, Tooltip, Typography } from 'antd';
import { type ReactNode, useCallback, useEffect, useId, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { EmptyState } from '@/components/EmptyState';
import { ErrorResult } from '@/components/ErrorResult';
import { formatCount } from '@/lib/format';
import { type Sample, previewUrl, useSamples } from '../../api/samples';
import { VersionPicker, type VersionTabProps } from '../VersionPicker';
import { OverlaySwitches } from './OverlaySwitches';
import { SampleFigure } from './SampleFigure';
import { SampleViewer, THUMB_PREVIEW } from './SampleViewer';
import { ALL_OVERLAYS, type Overlays } from './overlays';
import {
  PAGE_SIZES,
  type SamplesView,
  newSeed,
  samplesQuery,
  samplesViewOf,
  withSamplesView,
} from './view';
import './samples.css';

/** The sample the viewer shows: a position on a page; `last` when ← came from the next page. */
interface OpenSample {
  page: number;
  index: number | 'last';
}

function SampleThumb({
  sample,
  overlays,
  onOpen,
}: {
  sample: Sample;
  overlays: Overlays;
  onOpen: () => void;
}) {
  const count = sample.annotations.length;
  return (
    <button
      type="button"
      className="dm-sample-thumb"
      onClick={onOpen}
      data-testid="sample-thumb"
      data-image-id={sample.image_id}
      aria-label={`Open ${sample.file_name}`}
    >
      <SampleFigure
        sample={sample}
        imageHref={previewUrl(sample.url, THUMB_PREVIEW)}
        overlays={overlays}
        detailed={false}
      />
      <span className="dm-sample-thumb-caption">
        <span className="dm-sample-thumb-name" title={sample.file_name}>
          {sample.file_name}
        </span>
        <span className="dm-muted">
          {count} annotation{count === 1 ? '' : 's'}
        </span>
      </span>
    </button>
  );
}

function GridSkeleton({ count }: { count: number }) {
  return (
    <div className="dm-sample-grid" aria-busy="true" aria-label="Loading">
      {Array.from({ length: Math.min(count, 24) }, (_, i) => (
        <Skeleton.Image key={i} active className="dm-sample-thumb-skeleton" />
      ))}
    </div>
  );
}

/** One version's samples: the toolbar, the grid, the pages and the viewer. */
function SampleBrowser({ datasetId, picker }: { datasetId: string; picker: ReactNode }) {
  const classId = useId();
  const sizeId = useId();
  const [params, setParams] = useSearchParams();
  const view = samplesViewOf(params);
  const update = useCallback(
    (patch: Partial<SamplesView>, replace = false) =>
      setParams((current) => withSamplesView(current, patch), { replace }),
    [setParams],
  );
  // A first visit has no seed in its URL: pick one and put it there (replacing the entry, so Back
  // does not return to a seedless URL that would draw a different order).
  useEffect(() => {
    if (view.seed === undefined) update({ seed: newSeed() }, true);
  }, [view.seed, update]);

  const samples = useSamples(datasetId, samplesQuery(view));
  const [overlays, setOverlays] = useState<Overlays>(ALL_OVERLAYS);
  const [open, setOpen] = useState<OpenSample | null>(null);

  const data = samples.data;
  const fresh = data !== undefined && !samples.isPlaceholderData;
  const items = fresh ? data.items : [];
  const openIndex =
    open && fresh && data.page === open.page && items.length > 0
      ? open.index === 'last'
        ? items.length - 1
        : Math.min(open.index, items.length - 1)
      : undefined;
  const current = openIndex === undefined ? undefined : items[openIndex];
  const pages = data?.pages ?? 0;

  const showPrevious = useMemo(() => {
    if (openIndex === undefined) return undefined;
    if (openIndex > 0) return () => setOpen({ page: view.page, index: openIndex - 1 });
    if (view.page > 1)
      return () => {
        setOpen({ page: view.page - 1, index: 'last' });
        update({ page: view.page - 1 });
      };
    return undefined;
  }, [openIndex, view.page, update]);
  const showNext = useMemo(() => {
    if (openIndex === undefined) return undefined;
    if (openIndex < items.length - 1)
      return () => setOpen({ page: view.page, index: openIndex + 1 });
    if (view.page < pages)
      return () => {
        setOpen({ page: view.page + 1, index: 0 });
        update({ page: view.page + 1 });
      };
    return undefined;
  }, [openIndex, items.length, view.page, pages, update]);
  const close = useCallback(() => setOpen(null), []);

  const classOptions = useMemo(
    () =>
      (data?.categories ?? []).map((category) => ({
        value: category.name,
        label: `${category.name} (${formatCount(category.images)})`,
        disabled: category.images === 0,
      })),
    [data?.categories],
  );

  const toolbar = (
    <Flex gap={16} wrap align="center" className="dm-sample-toolbar">
      {picker}
      <Space size={8}>
        <label htmlFor={classId}>Class</label>
        <Select
          id={classId}
          style={{ width: 220 }}
          showSearch
          allowClear
          placeholder="All classes"
          value={view.className}
          onChange={(value?: string) => update({ className: value || undefined, page: 1 })}
          options={classOptions}
          filterOption={(input, option) =>
            String(option?.value ?? '')
              .toLowerCase()
              .includes(input.toLowerCase())
          }
          notFoundContent="No such class"
        />
      </Space>
      <Space size={8}>
        <label htmlFor={sizeId}>Per page</label>
        <Select
          id={sizeId}
          style={{ width: 80 }}
          value={view.n}
          onChange={(n: number) => update({ n, page: 1 })}
          options={PAGE_SIZES.map((n) => ({ value: n, label: String(n) }))}
        />
      </Space>
      <Tooltip title="Another random order of the same images">
        <Button
          icon={<SwapOutlined aria-hidden />}
          onClick={() => update({ seed: newSeed(), page: 1 })}
        >
          Shuffle
        </Button>
      </Tooltip>
      <OverlaySwitches overlays={overlays} onChange={setOverlays} />
    </Flex>
  );

  let body: ReactNode;
  if (samples.isError) {
    body = (
      <Space direction="vertical" style={{ width: '100%' }}>
        <ErrorResult error={samples.error} onRetry={() => void samples.refetch()} />
        {view.className ? (
          <Flex justify="center">
            <Button onClick={() => update({ className: undefined, page: 1 })}>
              Show all classes
            </Button>
          </Flex>
        ) : null}
      </Space>
    );
  } else if (!data) {
    body = <GridSkeleton count={view.n} />;
  } else if (data.total === 0) {
    body = (
      <EmptyState
        title={view.className ? `No image has “${view.className}”` : 'This version has no images'}
        hint={view.className ? 'Pick another class, or show all classes.' : undefined}
        action={
          view.className ? (
            <Button onClick={() => update({ className: undefined, page: 1 })}>
              Show all classes
            </Button>
          ) : undefined
        }
      />
    );
  } else if (data.items.length === 0) {
    body = (
      <EmptyState
        title={`There is no page ${view.page}`}
        hint={`These images fill ${formatCount(data.pages)} page(s).`}
        action={<Button onClick={() => update({ page: 1 })}>First page</Button>}
      />
    );
  } else {
    body = (
      <div
        className="dm-sample-grid"
        data-testid="sample-grid"
        aria-busy={samples.isFetching ? 'true' : 'false'}
        data-stale={samples.isPlaceholderData ? 'true' : 'false'}
      >
        {data.items.map((sample, index) => (
          <SampleThumb
            key={`${sample.image_id}-${index}`}
            sample={sample}
            overlays={overlays}
            onOpen={() => setOpen({ page: view.page, index })}
          />
        ))}
      </div>
    );
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {toolbar}
      {data ? (
        <Typography.Text type="secondary" data-testid="sample-summary">
          {formatCount(data.total)} image{data.total === 1 ? '' : 's'}
          {data.class ? ` with ${data.class}` : ''} · random order, seed {data.seed}
        </Typography.Text>
      ) : null}
      {body}
      {data && data.total > 0 ? (
        <Flex justify="center">
          <Pagination
            current={view.page}
            pageSize={view.n}
            total={data.total}
            showSizeChanger={false}
            onChange={(page) => update({ page })}
          />
        </Flex>
      ) : null}
      <SampleViewer
        open={open !== null}
        sample={current}
        next={openIndex === undefined ? undefined : items[openIndex + 1]}
        error={samples.isError ? samples.error : undefined}
        position={
          data && openIndex !== undefined
            ? `${formatCount((view.page - 1) * view.n + openIndex + 1)} of ${formatCount(data.total)}`
            : ''
        }
        overlays={overlays}
        onOverlays={setOverlays}
        onPrevious={showPrevious}
        onNext={showNext}
        onClose={close}
      />
    </Space>
  );
}

/**
 * The samples tab of a group's page: a version's images in a random order that stays put while
 * paging (a seed in the URL), filtered by class, each with its annotations drawn over it; a click
 * opens the large viewer.
 */
export function SamplesTab({ datasets, versions, selectedId, onSelect }: VersionTabProps) {
  const dataset = datasets.find((d) => d.id === selectedId);
  if (versions.length === 0 || !dataset) {
    return (
      <EmptyState
        title="No versions yet"
        hint="Samples are images of a dataset version; register one in this group first."
      />
    );
  }
  const picker = <VersionPicker versions={versions} selectedId={selectedId} onSelect={onSelect} />;
  if (dataset.status !== 'READY') {
    return (
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        {picker}
        <EmptyState
          title="No samples yet"
          hint={`Samples can be shown once this version is READY; it is ${dataset.status.toLowerCase()}.`}
        />
      </Space>
    );
  }
  // A fresh browser per version: an open viewer does not carry over to another version.
  return <SampleBrowser key={dataset.id} datasetId={dataset.id} picker={picker} />;
}
