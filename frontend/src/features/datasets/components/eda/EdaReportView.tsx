import { Alert, Card, Col, Flex, Row, Space, Statistic, Switch, Tag, Typography } from 'antd';
import { type ReactNode, memo, useMemo, useState } from 'react';
import type { Schemas } from '@/api/client';
import { EChart } from '@/components/charts/EChart';
import { EmptyState } from '@/components/EmptyState';
import { formatBytes, formatCount, formatNumber } from '@/lib/format';
import { EdaGallery } from './EdaGallery';
import { EdaHealthList } from './EdaHealthList';
import type { DatasetFiles } from './links';
import {
  attributeOption,
  boxSizeUnit,
  boxSizesOption,
  boxesPerImageOption,
  centreHeatmapOption,
  classChartHeight,
  classDistributionOption,
  classesByInstances,
  resolutionsOption,
  sizeBucketsOption,
  thermalOption,
} from './options';

type Report = Schemas['EdaReport'];

function Stat({
  title,
  value,
  testId,
  hint,
}: {
  title: ReactNode;
  value: number;
  testId: string;
  hint?: ReactNode;
}) {
  return (
    <div data-testid={testId} data-value={value}>
      <Statistic title={title} value={formatCount(value)} />
      {hint ? <div className="dm-eda-hint">{hint}</div> : null}
    </div>
  );
}

/** The headline numbers. */
function Summary({ report }: { report: Report }) {
  const { summary } = report;
  const reader = summary.reader;
  return (
    <Card size="small" data-testid="eda-summary">
      <Row gutter={[24, 16]}>
        <Col xs={12} md={8} lg={4}>
          <Stat title="Images" value={summary.images} testId="eda-summary-images" />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Stat
            title="Annotations"
            value={summary.annotations}
            testId="eda-summary-annotations"
            hint={
              summary.crowd_annotations > 0
                ? `${formatCount(summary.crowd_annotations)} crowd`
                : undefined
            }
          />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Stat
            title="Objects"
            value={summary.objects}
            testId="eda-summary-objects"
            hint="annotations with a box"
          />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Stat
            title="Classes used"
            value={summary.classes_used}
            testId="eda-summary-classes"
            hint={`of ${formatCount(summary.classes)} declared`}
          />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Stat
            title="Images without annotations"
            value={summary.images_without_annotations}
            testId="eda-summary-unannotated"
          />
        </Col>
        <Col xs={12} md={8} lg={4}>
          <Stat title="Health issues" value={summary.health_issues} testId="eda-summary-issues" />
        </Col>
      </Row>
      <Flex gap={6} wrap style={{ marginTop: 12 }} align="center">
        {Object.entries(summary.annotation_types).map(([type, count]) => (
          <Tag key={type} bordered={false}>
            {type.toLowerCase()}: {formatCount(count)}
          </Tag>
        ))}
        {reader.errors + reader.warnings > 0 ? (
          <Typography.Text type="secondary">
            The reader reported {formatCount(reader.errors)} error(s) and{' '}
            {formatCount(reader.warnings)} warning(s):{' '}
            {Object.entries(reader.by_code)
              .map(([code, count]) => `${code} ${formatCount(count)}`)
              .join(', ')}
            .
          </Typography.Text>
        ) : null}
      </Flex>
    </Card>
  );
}

function ChartCard({
  title,
  extra,
  children,
  testId,
  footer,
}: {
  title: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  testId: string;
  footer?: ReactNode;
}) {
  return (
    <Card size="small" title={title} extra={extra} data-testid={testId} style={{ height: '100%' }}>
      {children}
      {footer ? <div className="dm-eda-hint">{footer}</div> : null}
    </Card>
  );
}

function ClassDistribution({ report }: { report: Report }) {
  const [showUnused, setShowUnused] = useState(false);
  const imagesOnly = report.format === 'CLS_FOLDER';
  const classes = useMemo(
    () => classesByInstances(report.classes, showUnused),
    [report.classes, showUnused],
  );
  const unused = report.classes.filter((c) => c.instances === 0 && c.images === 0).length;
  const undeclared = report.classes.filter((c) => !c.declared).length;
  return (
    <ChartCard
      testId="eda-classes"
      title={imagesOnly ? 'Images per class' : 'Class distribution'}
      extra={
        unused > 0 ? (
          <Space size={6}>
            <Switch size="small" checked={showUnused} onChange={setShowUnused} id="eda-unused" />
            <label htmlFor="eda-unused">
              Show {formatCount(unused)} {unused === 1 ? 'class' : 'classes'} without annotations
            </label>
          </Space>
        ) : null
      }
      footer={
        <>
          {imagesOnly
            ? 'Images labelled with each class (class folders).'
            : 'Instances: annotations of the class. Images: images with at least one of them.'}
          {undeclared > 0
            ? ` ${formatCount(undeclared)} class id(s) are used by annotations but declared by no category.`
            : ''}
        </>
      }
    >
      {classes.length === 0 ? (
        <EmptyState title="No class has annotations" hint="Nothing here is labelled yet." />
      ) : (
        <EChart
          testId="eda-class-chart"
          option={classDistributionOption(classes, { imagesOnly })}
          height={classChartHeight(classes.length)}
        />
      )}
    </ChartCard>
  );
}

function BoxSizes({ report }: { report: Report }) {
  const sizes = report.box_sizes;
  const unit = boxSizeUnit(sizes);
  const option = useMemo(() => boxSizesOption(sizes, report.classes), [sizes, report.classes]);
  const sampled = sizes.sampled < sizes.total;
  return (
    <ChartCard
      testId="eda-box-sizes"
      title="Box width × height"
      extra={
        <Typography.Text type="secondary" data-testid="eda-box-sample">
          {sampled
            ? `${formatCount(sizes.sampled)} of ${formatCount(sizes.total)} points (downsampled)`
            : `all ${formatCount(sizes.total)} boxes`}
        </Typography.Text>
      }
      footer={
        unit === 'normalised'
          ? 'Sizes as fractions of the image: the image sizes are not known.'
          : sizes.with_pixels < sizes.total
            ? `${formatCount(sizes.total - sizes.with_pixels)} boxes have no size in pixels (image size unknown).`
            : sampled
              ? 'A deterministic sample: the same dataset always shows the same points.'
              : undefined
      }
    >
      {sizes.total === 0 ? (
        <EmptyState title="No boxes" hint="This version has no objects with a size." />
      ) : (
        <EChart testId="eda-box-chart" option={option} height={320} />
      )}
    </ChartCard>
  );
}

function BoxesPerImage({ report }: { report: Report }) {
  const histogram = report.boxes_per_image;
  return (
    <ChartCard
      testId="eda-boxes-per-image"
      title="Objects per image"
      extra={
        <Typography.Text type="secondary">
          mean {formatNumber(histogram.mean, 1)} · median {formatCount(histogram.median)} · max{' '}
          {formatCount(histogram.max)}
        </Typography.Text>
      }
    >
      {histogram.total === 0 ? (
        <EmptyState title="No images" />
      ) : (
        <EChart testId="eda-boxes-chart" option={boxesPerImageOption(histogram)} height={260} />
      )}
    </ChartCard>
  );
}

function SizeBuckets({ report }: { report: Report }) {
  const buckets = report.size_buckets;
  const total = buckets.small + buckets.medium + buckets.large + buckets.unknown;
  return (
    <ChartCard
      testId="eda-size-buckets"
      title="Object sizes (COCO areas)"
      footer={
        buckets.area_from_annotation > 0 && buckets.area_from_box > 0
          ? `${formatCount(buckets.area_from_annotation)} by the area the annotation states, ${formatCount(buckets.area_from_box)} by the box's area.`
          : buckets.area_from_annotation > 0
            ? 'By the area the annotations state (the mask for segmentations), as COCO evaluates.'
            : 'By the area of the boxes.'
      }
    >
      {total === 0 ? (
        <EmptyState title="No objects" />
      ) : (
        <EChart testId="eda-size-chart" option={sizeBucketsOption(buckets)} height={260} />
      )}
    </ChartCard>
  );
}

function Resolutions({ report }: { report: Report }) {
  const r = report.resolutions;
  const formats = Object.entries(r.formats);
  return (
    <ChartCard
      testId="eda-resolutions"
      title="Image sizes"
      extra={
        <Typography.Text type="secondary">
          {formatCount(r.distinct)} distinct size{r.distinct === 1 ? '' : 's'}
        </Typography.Text>
      }
      footer={
        <>
          Width {formatNumber(r.width.min, 0)}–{formatNumber(r.width.max, 0)} px (median{' '}
          {formatNumber(r.width.median, 0)}), height {formatNumber(r.height.min, 0)}–
          {formatNumber(r.height.max, 0)} px (median {formatNumber(r.height.median, 0)}).{' '}
          {r.source === 'annotations'
            ? 'From the sizes the annotations state (the image files were not read).'
            : `From the image headers${formats.length > 0 ? `: ${formats.map(([f, n]) => `${f} ${formatCount(n)}`).join(', ')}` : ''}${r.file_bytes > 0 ? `, ${formatBytes(r.file_bytes)} in all` : ''}.`}
          {r.unknown > 0 ? ` ${formatCount(r.unknown)} image(s) without a known size.` : ''}
        </>
      }
    >
      {r.images === 0 ? (
        <EmptyState title="No image size is known" />
      ) : (
        <EChart testId="eda-resolution-chart" option={resolutionsOption(r)} height={260} />
      )}
    </ChartCard>
  );
}

function CentreHeatmap({ report }: { report: Report }) {
  const heatmap = report.centre_heatmap;
  return (
    <ChartCard
      testId="eda-heatmap"
      title="Where box centres fall"
      footer={
        heatmap.outside + heatmap.unknown > 0
          ? `${formatCount(heatmap.outside)} centre(s) outside the image and ${formatCount(heatmap.unknown)} without a known position are not drawn.`
          : 'The image as a grid; darker cells hold more box centres.'
      }
    >
      {heatmap.total === 0 ? (
        <EmptyState title="No box centres" />
      ) : (
        <EChart testId="eda-heatmap-chart" option={centreHeatmapOption(heatmap)} height={320} />
      )}
    </ChartCard>
  );
}

function Attributes({ report }: { report: Report }) {
  return (
    <Row gutter={[16, 16]}>
      {report.attributes.flatMap((attribute) =>
        (
          [
            ['images', attribute.images],
            ['annotations', attribute.annotations],
          ] as const
        ).flatMap(([over, counts]) =>
          counts
            ? [
                <Col key={`${attribute.name}-${over}`} xs={24} lg={12}>
                  <ChartCard
                    testId={`eda-attribute-${attribute.name}`}
                    title={
                      <Space size={6}>
                        <span>{attribute.name}</span>
                        <Tag bordered={false}>{attribute.kind}</Tag>
                      </Space>
                    }
                    extra={
                      <Typography.Text type="secondary">
                        over {over}: {formatCount(counts.labelled)} labelled ·{' '}
                        {formatCount(counts.missing)} not · {formatCount(counts.distinct)} values
                      </Typography.Text>
                    }
                  >
                    <EChart
                      option={attributeOption(counts, over === 'images' ? 'Images' : 'Annotations')}
                      height={240}
                    />
                  </ChartCard>
                </Col>,
              ]
            : [],
        ),
      )}
    </Row>
  );
}

function Thermal({ thermal }: { thermal: Schemas['EdaThermal'] }) {
  return (
    <ChartCard
      testId="eda-thermal"
      title="Thermal intensities"
      extra={
        <Typography.Text type="secondary">
          {thermal.bit_depth}-bit container, {thermal.effective_bits} bits used
        </Typography.Text>
      }
      footer={`${formatCount(thermal.sampled)} of ${formatCount(thermal.images)} high-bit-depth images sampled${thermal.failed > 0 ? `, ${formatCount(thermal.failed)} failed to decode` : ''}; ${formatCount(thermal.samples)} values. Min ${formatCount(thermal.min)}, p1 ${formatCount(thermal.p1)}, median ${formatCount(thermal.p50)}, p99 ${formatCount(thermal.p99)}, max ${formatCount(thermal.max)}, mean ${formatNumber(thermal.mean, 1)}.`}
    >
      <EChart testId="eda-thermal-chart" option={thermalOption(thermal)} height={260} />
    </ChartCard>
  );
}

/**
 * A whole EDA report: numbers, health, gallery and charts. Memoised: while a new run is polled
 * every second the report is the same object (TanStack Query keeps unchanged data), so nothing
 * here renders again.
 */
export const EdaReportView = memo(function EdaReportView({
  report,
  files,
  finishedAt,
}: {
  report: Report;
  files: DatasetFiles;
  finishedAt: string | null | undefined;
}) {
  const hasBoxes = report.summary.objects > 0;
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Summary report={report} />
      {!report.summary.images_inspected ? (
        <Alert
          type="info"
          showIcon
          message="The image files were not inspected"
          description="Image sizes come from the annotations; the file checks, duplicates, thermal statistics and the gallery are not available."
        />
      ) : null}
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={10}>
          <Card size="small" title="Health checks" style={{ height: '100%' }}>
            <EdaHealthList report={report} files={files} />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small"
            title="Gallery"
            style={{ height: '100%' }}
            extra={
              <Typography.Text type="secondary">
                {formatCount(report.gallery.length)} images spread over the classes
              </Typography.Text>
            }
          >
            <EdaGallery report={report} files={files} finishedAt={finishedAt} />
          </Card>
        </Col>
      </Row>
      <ClassDistribution report={report} />
      {hasBoxes ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <BoxSizes report={report} />
          </Col>
          <Col xs={24} xl={12}>
            <CentreHeatmap report={report} />
          </Col>
          <Col xs={24} xl={12}>
            <BoxesPerImage report={report} />
          </Col>
          <Col xs={24} xl={12}>
            <SizeBuckets report={report} />
          </Col>
        </Row>
      ) : (
        <Typography.Text type="secondary" data-testid="eda-no-boxes">
          No box statistics: this version has no annotations with a box.
        </Typography.Text>
      )}
      <Resolutions report={report} />
      {report.attributes.length > 0 ? (
        <section aria-label="Attributes">
          <Typography.Title level={5}>Attribute balance</Typography.Title>
          <Attributes report={report} />
        </section>
      ) : null}
      {report.thermal ? <Thermal thermal={report.thermal} /> : null}
    </Space>
  );
});
