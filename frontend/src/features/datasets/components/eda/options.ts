import type { Schemas } from '@/api/client';
import type { ChartOption } from '@/components/charts/echarts';
import { formatCount } from '@/lib/format';

// The EDA tab's chart options, built from the report alone (pure functions: the tests check the
// data each chart is given without drawing it).

type Report = Schemas['EdaReport'];
type ClassStats = Schemas['EdaClassStats'];

const BLUE = '#1677ff';
const TEAL = '#13c2c2';
const GREY = '#bfbfbf';
const AXIS_NAME = { color: 'rgba(0, 0, 0, 0.65)', fontSize: 12 };

/** The plot area shrinks until axis labels and names fit inside these margins. */
function plotArea(margins: { left?: number; right?: number; top?: number; bottom?: number } = {}) {
  return {
    left: 8,
    right: 24,
    top: 28,
    bottom: 8,
    ...margins,
    outerBoundsMode: 'same' as const,
    outerBoundsContain: 'all' as const,
  };
}

/** What a class is called on a chart: its name, or its id when no category declares it. */
export function classLabel(stats: Pick<ClassStats, 'id' | 'name' | 'declared'>): string {
  return stats.name || `#${stats.id} (undeclared)`;
}

/** Class names by id, for tooltips of charts whose points carry ids. */
export function classNames(classes: readonly ClassStats[]): Map<number, string> {
  return new Map(classes.map((c) => [c.id, classLabel(c)]));
}

/**
 * ECharts describes the chart and every one of its data items (name and value) in the
 * container's `aria-label`; without `maxCount` it stops at 10 items.
 */
function aria(items: number): ChartOption['aria'] {
  return {
    enabled: true,
    decal: { show: false },
    label: { data: { maxCount: Math.max(10, items) } },
  };
}

const countTooltip = {
  trigger: 'axis' as const,
  axisPointer: { type: 'shadow' as const },
  valueFormatter: (value: unknown) => formatCount(typeof value === 'number' ? value : null),
};

const countAxis = {
  type: 'value' as const,
  minInterval: 1,
  axisLabel: { formatter: (value: number) => formatCount(value) },
};

/** Classes in the order the chart lists them: most instances first, then images, then name. */
export function classesByInstances(
  classes: readonly ClassStats[],
  includeUnused: boolean,
): ClassStats[] {
  return classes
    .filter((c) => includeUnused || c.instances > 0 || c.images > 0)
    .sort(
      (a, b) =>
        b.instances - a.instances ||
        b.images - a.images ||
        classLabel(a).localeCompare(classLabel(b)),
    );
}

/** Rows a class chart shows at once; longer lists scroll (a zoom slider on the class axis). */
export const CLASS_ROWS_VISIBLE = 30;
const CLASS_ROW_PX = 22;

export function classChartHeight(rows: number): number {
  return Math.max(160, Math.min(rows, CLASS_ROWS_VISIBLE) * CLASS_ROW_PX + 80);
}

/**
 * Instances and images per class, horizontal bars (class names read left of the bars). For class
 * folders the instances are the image labels, so only the images are drawn.
 */
export function classDistributionOption(
  classes: readonly ClassStats[],
  { imagesOnly = false }: { imagesOnly?: boolean } = {},
): ChartOption {
  const names = classes.map(classLabel);
  const scroll = classes.length > CLASS_ROWS_VISIBLE;
  const series: ChartOption['series'] = [
    ...(imagesOnly
      ? []
      : [
          {
            type: 'bar' as const,
            name: 'Instances',
            itemStyle: { color: BLUE },
            data: classes.map((c) => ({ name: classLabel(c), value: c.instances })),
          },
        ]),
    {
      type: 'bar' as const,
      name: 'Images',
      itemStyle: { color: TEAL },
      data: classes.map((c) => ({ name: classLabel(c), value: c.images })),
    },
  ];
  return {
    aria: aria(classes.length),
    legend: { top: 0 },
    tooltip: countTooltip,
    grid: plotArea({ right: scroll ? 40 : 24, top: 32 }),
    xAxis: { ...countAxis, name: imagesOnly ? 'Images' : 'Count', nameTextStyle: AXIS_NAME },
    yAxis: {
      type: 'category',
      inverse: true,
      data: names,
      axisLabel: { width: 160, overflow: 'truncate' },
    },
    dataZoom: scroll
      ? [
          {
            type: 'slider',
            yAxisIndex: 0,
            right: 8,
            width: 16,
            startValue: 0,
            endValue: CLASS_ROWS_VISIBLE - 1,
            // Bars outside the window are clipped, not dropped: the description keeps them all.
            filterMode: 'none',
            brushSelect: false,
            showDetail: false,
          },
          { type: 'inside', yAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: false },
        ]
      : [],
    series,
  };
}

/** Which unit the box scatter is drawn in: pixels when known, else fractions of the image. */
export function boxSizeUnit(sizes: Schemas['EdaBoxSizes']): 'px' | 'normalised' {
  return sizes.with_pixels > 0 || sizes.with_normalised === 0 ? 'px' : 'normalised';
}

/** Width × height of the sampled boxes, one point each; class names in the tooltip. */
export function boxSizesOption(
  sizes: Schemas['EdaBoxSizes'],
  classes: readonly ClassStats[],
): ChartOption {
  const unit = boxSizeUnit(sizes);
  const { points } = sizes;
  const [xs, ys] =
    unit === 'px' ? [points.width, points.height] : [points.norm_width, points.norm_height];
  const names = classNames(classes);
  const data: [number, number, string][] = [];
  xs.forEach((x, i) => {
    const y = ys[i];
    if (x !== null && x !== undefined && y !== null && y !== undefined) {
      const id = points.class_id[i];
      data.push([x, y, id === null || id === undefined ? '—' : (names.get(id) ?? `#${id}`)]);
    }
  });
  const axisName = (side: 'width' | 'height') =>
    unit === 'px' ? `Box ${side} (px)` : `Box ${side} ÷ image ${side}`;
  return {
    // 5,000 points would make the description a book; the card states the counts instead.
    aria: { enabled: true, decal: { show: false }, label: { data: { maxCount: 1 } } },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const value = (params as { value: [number, number, string] }).value;
        const fmt = (v: number) => (unit === 'px' ? `${v}` : v.toFixed(3));
        return `${value[2]}<br/>${fmt(value[0])} × ${fmt(value[1])}${unit === 'px' ? ' px' : ''}`;
      },
    },
    grid: plotArea(),
    xAxis: {
      type: 'value',
      name: axisName('width'),
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: AXIS_NAME,
    },
    yAxis: {
      type: 'value',
      name: axisName('height'),
      nameTextStyle: AXIS_NAME,
    },
    series: [
      {
        type: 'scatter',
        name: 'Boxes',
        symbolSize: 5,
        large: data.length > 2000,
        itemStyle: { color: BLUE, opacity: 0.45 },
        data,
      },
    ],
  };
}

/** The labels of a count histogram's bins: `0`, `1`, …, `11–15`, …, `≥ 101`. */
export function countBinLabels(histogram: Schemas['EdaCountHistogram']): string[] {
  return [
    ...histogram.bins.map((bin) => (bin.min === bin.max ? `${bin.min}` : `${bin.min}–${bin.max}`)),
    `≥ ${histogram.overflow_min}`,
  ];
}

function barOption(
  labels: string[],
  values: number[],
  {
    xName,
    yName,
    color = BLUE,
    rotate = 0,
  }: { xName: string; yName: string; color?: string; rotate?: number },
): ChartOption {
  return {
    aria: aria(values.length),
    tooltip: countTooltip,
    grid: plotArea(),
    xAxis: {
      type: 'category',
      data: labels,
      name: xName,
      nameLocation: 'middle',
      nameGap: rotate ? 56 : 28,
      nameTextStyle: AXIS_NAME,
      axisLabel: { rotate, interval: 0, hideOverlap: true },
    },
    yAxis: { ...countAxis, name: yName, nameTextStyle: AXIS_NAME },
    series: [
      {
        type: 'bar',
        name: yName,
        barMaxWidth: 56,
        itemStyle: { color },
        data: labels.map((name, i) => ({ name, value: values[i] ?? 0 })),
      },
    ],
  };
}

/** Images by the number of objects on them. */
export function boxesPerImageOption(histogram: Schemas['EdaCountHistogram']): ChartOption {
  return barOption(
    countBinLabels(histogram),
    [...histogram.bins.map((bin) => bin.count), histogram.overflow],
    { xName: 'Objects per image', yName: 'Images' },
  );
}

/** The COCO area buckets; unknown only when there are any. */
export function sizeBucketRows(
  buckets: Pick<Schemas['EdaSizeBuckets'], 'small' | 'medium' | 'large' | 'unknown'>,
): { label: string; value: number }[] {
  return [
    { label: 'Small (< 32²)', value: buckets.small },
    { label: 'Medium (32²–96²)', value: buckets.medium },
    { label: 'Large (≥ 96²)', value: buckets.large },
    ...(buckets.unknown > 0 ? [{ label: 'Unknown', value: buckets.unknown }] : []),
  ];
}

export function sizeBucketsOption(buckets: Schemas['EdaSizeBuckets']): ChartOption {
  const rows = sizeBucketRows(buckets);
  return barOption(
    rows.map((r) => r.label),
    rows.map((r) => r.value),
    { xName: 'Object area (px²)', yName: 'Objects' },
  );
}

/** The most frequent image sizes, then the rest as "Other". */
export function resolutionRows(
  resolutions: Schemas['EdaResolutions'],
): { label: string; value: number }[] {
  return [
    ...resolutions.top.map((r) => ({ label: `${r.width}×${r.height}`, value: r.images })),
    ...(resolutions.other > 0 ? [{ label: 'Other', value: resolutions.other }] : []),
  ];
}

export function resolutionsOption(resolutions: Schemas['EdaResolutions']): ChartOption {
  const rows = resolutionRows(resolutions);
  return barOption(
    rows.map((r) => r.label),
    rows.map((r) => r.value),
    {
      xName: 'Width × height (px)',
      yName: 'Images',
      color: TEAL,
      rotate: rows.length > 6 ? 35 : 0,
    },
  );
}

/** Box centres on the normalised image, row 0 at the top like the image. */
export function centreHeatmapOption(heatmap: Schemas['EdaCentreHeatmap']): ChartOption {
  const { grid, counts } = heatmap;
  const ticks = Array.from({ length: grid }, (_, i) => ((i + 0.5) / grid).toFixed(2));
  const data: [number, number, number][] = [];
  for (let row = 0; row < grid; row += 1) {
    for (let column = 0; column < grid; column += 1) {
      data.push([column, row, counts[row * grid + column] ?? 0]);
    }
  }
  const max = Math.max(1, ...counts);
  return {
    aria: { enabled: true, decal: { show: false }, label: { data: { maxCount: 1 } } },
    tooltip: {
      formatter: (params: unknown) => {
        const [column, row, count] = (params as { value: [number, number, number] }).value;
        const range = (i: number) => `${(i / grid).toFixed(2)}–${((i + 1) / grid).toFixed(2)}`;
        return `x ${range(column)}, y ${range(row)}<br/>${formatCount(count)} box centres`;
      },
    },
    grid: plotArea({ top: 8, right: 72 }),
    xAxis: {
      type: 'category',
      data: ticks,
      name: 'x (÷ image width)',
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: AXIS_NAME,
      axisLabel: { interval: Math.max(0, Math.floor(grid / 4) - 1) },
    },
    yAxis: {
      type: 'category',
      data: ticks,
      inverse: true,
      name: 'y (÷ image height)',
      nameLocation: 'middle',
      nameGap: 36,
      nameTextStyle: AXIS_NAME,
      axisLabel: { interval: Math.max(0, Math.floor(grid / 4) - 1) },
    },
    visualMap: {
      min: 0,
      max,
      calculable: true,
      orient: 'vertical',
      right: 0,
      top: 'middle',
      itemHeight: 160,
      itemWidth: 12,
      inRange: { color: ['#f0f5ff', '#85a5ff', '#1d39c4'] },
    },
    series: [{ type: 'heatmap', name: 'Box centres', data }],
  };
}

/** An attribute value as a chart label. */
export function attributeValueLabel(value: Schemas['EdaValueCount']['value']): string {
  return typeof value === 'string' ? value || '(empty)' : String(value);
}

/** One attribute's values with their counts, then "other" values and unlabelled records. */
export function attributeRows(counts: Schemas['EdaValueCounts']): {
  label: string;
  value: number;
  muted?: boolean;
}[] {
  return [
    ...counts.values.map((v) => ({ label: attributeValueLabel(v.value), value: v.count })),
    ...(counts.other > 0 ? [{ label: '(other values)', value: counts.other, muted: true }] : []),
    ...(counts.missing > 0
      ? [{ label: '(not labelled)', value: counts.missing, muted: true }]
      : []),
  ];
}

export function attributeOption(counts: Schemas['EdaValueCounts'], unit: string): ChartOption {
  const rows = attributeRows(counts);
  const option = barOption(
    rows.map((r) => r.label),
    rows.map((r) => r.value),
    { xName: 'Value', yName: unit, rotate: rows.length > 6 ? 35 : 0 },
  );
  return {
    ...option,
    series: [
      {
        type: 'bar',
        name: unit,
        barMaxWidth: 56,
        data: rows.map((r) => ({
          name: r.label,
          value: r.value,
          itemStyle: { color: r.muted ? GREY : BLUE },
        })),
      },
    ],
  };
}

/** The thermal intensity histogram: bins labelled by their first value. */
export function thermalOption(thermal: Schemas['EdaThermal']): ChartOption {
  const { start, bin_width: width, counts } = thermal.histogram;
  const labels = counts.map((_, i) => `${start + i * width}`);
  return {
    ...barOption(labels, counts, { xName: 'Raw value', yName: 'Samples', color: '#fa541c' }),
    aria: { enabled: true, decal: { show: false }, label: { data: { maxCount: 1 } } },
  };
}

/** Whether a report has anything to draw for box geometry (class folders have no boxes). */
export function hasObjects(report: Report): boolean {
  return report.summary.objects > 0;
}
