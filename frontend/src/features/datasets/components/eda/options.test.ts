import { describe, expect, it } from 'vitest';
import { hasLiveEda } from '../../api/listGroups';
import { imageRootOf } from '../../api/shapes';
import { summary } from '../../testing';
import { edaReport } from '../../testingEda';
import { staticUrl } from '../presentation';
import { reportFileUrl } from './links';
import {
  attributeRows,
  boxSizeUnit,
  boxSizesOption,
  classChartHeight,
  classDistributionOption,
  classesByInstances,
  countBinLabels,
} from './options';
import { edaPercent } from './progress';

describe('EDA chart data', () => {
  it('names histogram bins by their range and the open last bin', () => {
    expect(countBinLabels(edaReport.boxes_per_image)).toEqual([
      '0',
      '1',
      '2–10',
      '11–100',
      '≥ 101',
    ]);
  });

  it('orders classes by instances and leaves unused ones out unless asked', () => {
    expect(classesByInstances(edaReport.classes, false).map((c) => c.id)).toEqual([1, 3, 99]);
    expect(classesByInstances(edaReport.classes, true).map((c) => c.id)).toEqual([1, 3, 99, 2]);
  });

  it('scrolls a long class list and keeps every class in the chart description', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({
      ...(edaReport.classes[0] as (typeof edaReport.classes)[number]),
      id: i,
      name: `class ${i}`,
      instances: 80 - i,
    }));
    const option = classDistributionOption(many);
    expect(option.dataZoom).toHaveLength(2);
    expect(option.aria).toMatchObject({ label: { data: { maxCount: 80 } } });
    expect(classChartHeight(80)).toBe(classChartHeight(30));
    // Class folders: the labels are the images, one bar per class.
    const folders = classDistributionOption(many.slice(0, 3), { imagesOnly: true });
    expect((folders.series as { name: string }[]).map((s) => s.name)).toEqual(['Images']);
  });

  it('draws boxes in fractions of the image when no size in pixels is known', () => {
    const yolo = {
      ...edaReport.box_sizes,
      with_pixels: 0,
      points: { ...edaReport.box_sizes.points, width: [null, null, null] },
    };
    expect(boxSizeUnit(yolo)).toBe('normalised');
    const option = boxSizesOption(yolo, edaReport.classes);
    expect((option.series as { data: unknown[] }[])[0]?.data).toEqual([
      [0.1, 0.1, 'person'],
      [0.2, 0.3, 'car'],
      [0.3, 0.05, '#99 (undeclared)'],
    ]);
  });

  it('lists attribute values, then other values and unlabelled records', () => {
    expect(
      attributeRows({
        distinct: 3,
        labelled: 10,
        missing: 2,
        other: 1,
        values: [
          { value: true, count: 6 },
          { value: false, count: 3 },
        ],
      }),
    ).toEqual([
      { label: 'true', value: 6 },
      { label: 'false', value: 3 },
      { label: '(other values)', value: 1, muted: true },
      { label: '(not labelled)', value: 2, muted: true },
    ]);
  });

  it('counts progress per stage and shows none while the total is unknown', () => {
    expect(edaPercent({ status: 'RUNNING', processed_count: 30, total_count: 120 })).toBe(25);
    expect(edaPercent({ status: 'RUNNING', processed_count: 0, total_count: 0 })).toBeNull();
    expect(edaPercent({ status: 'DONE', processed_count: 0, total_count: 0 })).toBe(100);
  });
});

describe('links to NAS files', () => {
  it('finds the image root the validator recorded, else the pipelines’ images/', () => {
    expect(imageRootOf({ validation: { layout: { image_root: 'images/train' } } })).toBe(
      'images/train',
    );
    expect(imageRootOf({ pipeline_execution_id: 'x' })).toBe('images');
  });

  it('escapes each segment and drops `.`', () => {
    expect(staticUrl('raw/a b/v1.0.0', '.', 'x#1.jpg')).toBe('/static/raw/a%20b/v1.0.0/x%231.jpg');
    const files = { root: 'source/y/train/v1.0.0', imageRoot: 'images' };
    expect(reportFileUrl(files, 'a.jpg')).toBe('/static/source/y/train/v1.0.0/images/a.jpg');
    // A label file without its image is named from the dataset folder.
    expect(reportFileUrl(files, 'labels/a.txt', false)).toBe(
      '/static/source/y/train/v1.0.0/labels/a.txt',
    );
  });
});

describe('the list', () => {
  it('polls only while some version on the page has an EDA queued or running', () => {
    const page = { items: [summary], total: 1, page: 1, page_size: 20 };
    expect(hasLiveEda(page)).toBe(false);
    const running = {
      ...page,
      items: [
        {
          ...summary,
          splits: summary.splits.map((split) => ({
            ...split,
            versions: split.versions.map((v) => ({ ...v, eda: { status: 'PENDING' as const } })),
          })),
        },
      ],
    };
    expect(hasLiveEda(running)).toBe(true);
  });
});
