import type { Schemas } from '@/api/client';
import { detail } from './testing';

// EDA fixtures for this feature's component tests (not a test file itself).

export const TRAIN = detail.datasets[0] as Schemas['Dataset'];

const emptyCheck = { count: 0, examples: [] };
const buckets = (small: number, medium: number, large: number) => ({
  small,
  medium,
  large,
  unknown: 0,
});

/** A report of the demo train set, small enough to read: three classes used, one declared unused. */
export const edaReport: Schemas['EdaReport'] = {
  schema_version: 1,
  format: 'COCO',
  limits: {
    max_points: 5000,
    examples: 20,
    top_resolutions: 20,
    cooccurrence_classes: 100,
    heatmap_grid: 2,
    attribute_values: 50,
    thermal_images: 200,
    out_of_bounds_tolerance_px: 1,
    out_of_bounds_tolerance_normalised: 0.001,
  },
  summary: {
    images: 120,
    annotations: 12345,
    objects: 12340,
    classes: 4,
    classes_used: 3,
    images_without_annotations: 2,
    crowd_annotations: 5,
    annotation_types: { BBOX: 40, SEGMENTATION: 12305 },
    images_inspected: true,
    health_issues: 6,
    reader: { errors: 0, warnings: 1, by_code: { unknown_category: 1 } },
  },
  classes: [
    { id: 1, name: 'person', declared: true, images: 80, instances: 9000, sizes: buckets(1, 2, 3) },
    { id: 2, name: 'bicycle', declared: true, images: 0, instances: 0, sizes: buckets(0, 0, 0) },
    { id: 3, name: 'car', declared: true, images: 60, instances: 3000, sizes: buckets(1, 1, 1) },
    { id: 99, name: '', declared: false, images: 3, instances: 345, sizes: buckets(0, 0, 1) },
  ],
  boxes_per_image: {
    bins: [
      { min: 0, max: 0, count: 2 },
      { min: 1, max: 1, count: 18 },
      { min: 2, max: 10, count: 60 },
      { min: 11, max: 100, count: 39 },
    ],
    overflow: 1,
    overflow_min: 101,
    total: 120,
    mean: 102.83,
    median: 9,
    max: 140,
  },
  box_sizes: {
    total: 12340,
    sampled: 3,
    with_pixels: 12340,
    with_normalised: 12340,
    points: {
      width: [10, 20, null],
      height: [12, 40, 5],
      norm_width: [0.1, 0.2, 0.3],
      norm_height: [0.1, 0.3, 0.05],
      class_id: [1, 3, 99],
    },
  },
  size_buckets: {
    small: 100,
    medium: 200,
    large: 12040,
    unknown: 0,
    area_from_annotation: 12305,
    area_from_box: 35,
  },
  centre_heatmap: { grid: 2, counts: [1, 2, 3, 12330], total: 12336, outside: 4, unknown: 0 },
  cooccurrence: {
    class_ids: [1, 3],
    classes_total: 2,
    truncated: false,
    matrix: [
      [80, 40],
      [40, 60],
    ],
  },
  resolutions: {
    source: 'headers',
    images: 120,
    unknown: 0,
    distinct: 2,
    top: [
      { width: 640, height: 480, images: 100 },
      { width: 320, height: 240, images: 20 },
    ],
    other: 0,
    width: { min: 320, median: 640, mean: 586.7, max: 640 },
    height: { min: 240, median: 480, mean: 440, max: 480 },
    megapixels: { edges: [0, 0.1, 0.25, 0.5], counts: [20, 100, 0], overflow: 0 },
    formats: { JPEG: 120 },
    file_bytes: 7_200_000,
  },
  health: {
    images_without_annotations: {
      count: 2,
      examples: [
        { image_id: 14, file_name: '000000000063.jpg', detail: 'the image has no annotations' },
        {
          image_id: 36,
          file_name: 'sub dir/000000000180.jpg',
          detail: 'the image has no annotations',
        },
      ],
    },
    missing_files: {
      count: 1,
      examples: [{ image_id: 7, file_name: 'gone.jpg', detail: 'not in the image folder' }],
    },
    degenerate_boxes: {
      count: 1,
      examples: [
        {
          image_id: 3,
          file_name: '000000000003.jpg',
          annotation_index: 2,
          annotation_id: 77,
          detail: 'width 0',
        },
      ],
    },
    out_of_bounds_boxes: emptyCheck,
    duplicate_images: {
      count: 1,
      images: 2,
      groups: [
        {
          hash: '0123456789abcdef0123456789abcdef',
          bytes: 2048,
          count: 2,
          file_names: ['a.jpg', 'b.jpg'],
        },
      ],
    },
    exif_rotated: { count: 0, by_orientation: {}, examples: [] },
    unreadable_images: {
      count: 1,
      examples: [{ image_id: 9, file_name: 'broken.jpg', detail: 'the JPEG ends early' }],
    },
    size_mismatches: emptyCheck,
  },
  attributes: [],
  thermal: null,
  gallery: [
    {
      image_id: 55,
      file_name: '000000000055.jpg',
      class_id: 1,
      thumbnail: `eda/${TRAIN.id}/gallery/0000_55.jpg`,
      width: 320,
      height: 240,
      original_width: 640,
      original_height: 480,
    },
    {
      image_id: 12,
      file_name: '000000000012.jpg',
      class_id: null,
      thumbnail: `eda/${TRAIN.id}/gallery/0001_12.jpg`,
      width: 320,
      height: 240,
      original_width: 640,
      original_height: 480,
    },
  ],
};

/** The same dataset read without its image files: the checks that need them are `null`. */
export const annotationsOnlyReport: Schemas['EdaReport'] = {
  ...edaReport,
  summary: { ...edaReport.summary, images_inspected: false },
  health: {
    ...edaReport.health,
    missing_files: null,
    unreadable_images: null,
    duplicate_images: null,
    exif_rotated: null,
    size_mismatches: null,
  },
  resolutions: { ...edaReport.resolutions, source: 'annotations', formats: {}, file_bytes: 0 },
  gallery: [],
};

export const FINISHED_AT = '2026-12-03T10:00:05Z';

export function edaRun(overrides: Partial<Schemas['EdaRun']> = {}): Schemas['EdaRun'] {
  return {
    dataset_id: TRAIN.id,
    status: 'DONE',
    current_stage: 'done',
    processed_count: 120,
    total_count: 120,
    error_message: null,
    attempts: 1,
    worker_id: 'dev-eda',
    requested_at: '2026-12-03T10:00:00Z',
    started_at: '2026-12-03T10:00:01Z',
    finished_at: FINISHED_AT,
    report: edaReport,
    ...overrides,
  };
}

/** A class-folder set of 16-bit thermal images with an attribute: no boxes at all. */
export const thermalFoldersReport: Schemas['EdaReport'] = {
  ...edaReport,
  format: 'CLS_FOLDER',
  summary: { ...edaReport.summary, objects: 0, annotation_types: { LABEL: 120 } },
  classes: [
    { id: 0, name: 'hot', declared: true, images: 70, instances: 70, sizes: buckets(0, 0, 0) },
    { id: 1, name: 'cold', declared: true, images: 50, instances: 50, sizes: buckets(0, 0, 0) },
  ],
  box_sizes: {
    total: 0,
    sampled: 0,
    with_pixels: 0,
    with_normalised: 0,
    points: { width: [], height: [], norm_width: [], norm_height: [], class_id: [] },
  },
  attributes: [
    {
      name: 'daytime',
      kind: 'bool',
      images: {
        distinct: 2,
        labelled: 100,
        missing: 20,
        other: 0,
        values: [
          { value: true, count: 60 },
          { value: false, count: 40 },
        ],
      },
      annotations: null,
    },
  ],
  thermal: {
    images: 120,
    sampled: 100,
    failed: 1,
    bit_depth: 16,
    effective_bits: 14,
    samples: 3_000_000,
    min: 1000,
    max: 16000,
    p1: 2000,
    p50: 8000,
    p99: 15000,
    mean: 8123.4,
    histogram: { start: 1000, bin_width: 5000, counts: [10, 20, 30] },
  },
};
