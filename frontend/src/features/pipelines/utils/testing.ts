import type { Schemas } from '@/api/client';
import type { SourceCandidate } from './compatibility';

// Fixtures for this feature's unit tests, shaped like the live catalog and demo data.

const ALL_TASKS: Schemas['TaskType'][] = [
  'DETECTION',
  'SEGMENTATION',
  'CLASSIFICATION',
  'ATTR_CLASSIFICATION',
  'ZERO_SHOT',
];
const CLASS_FORMATS: Schemas['AnnotationFormat'][] = [
  'COCO',
  'YOLO',
  'ATTR_JSON',
  'CLS_FOLDER',
  'VISDRONE',
];
const IMAGE_FORMATS: Schemas['AnnotationFormat'][] = [...CLASS_FORMATS, 'NONE'];

export function manipulator(
  partial: Partial<Schemas['Manipulator']> & { name: string },
): Schemas['Manipulator'] {
  return {
    category: 'FILTER',
    compatible_annotation_fmts: CLASS_FORMATS,
    compatible_task_types: ALL_TASKS,
    description: null,
    output_annotation_fmt: null,
    params_schema: { type: 'object', additionalProperties: false } as unknown as Record<
      string,
      never
    >,
    scope: ['PER_SOURCE', 'POST_MERGE'],
    status: 'ACTIVE',
    updated_at: '2026-01-01T00:00:00Z',
    version: '1.0.0',
    ...partial,
  };
}

const classesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: { classes: { type: 'array', items: { type: 'string' }, minItems: 1 } },
  required: ['classes'],
} as unknown as Record<string, never>;

export const CATALOG: Schemas['Manipulator'][] = [
  manipulator({
    name: 'rotate_180',
    category: 'AUGMENT',
    scope: ['PER_SOURCE'],
    compatible_annotation_fmts: IMAGE_FORMATS,
  }),
  manipulator({ name: 'filter_keep_by_class', params_schema: classesSchema }),
  manipulator({
    name: 'filter_final_classes',
    scope: ['POST_MERGE'],
    params_schema: classesSchema,
  }),
  manipulator({
    name: 'shuffle_image_ids',
    category: 'SAMPLE',
    scope: ['POST_MERGE'],
    compatible_annotation_fmts: IMAGE_FORMATS,
  }),
  manipulator({
    name: 'merge_datasets',
    category: 'MERGE',
    scope: ['POST_MERGE'],
    compatible_annotation_fmts: IMAGE_FORMATS,
  }),
  manipulator({
    name: 'format_convert_to_yolo',
    category: 'FORMAT_CONVERT',
    scope: ['PER_SOURCE'],
    compatible_annotation_fmts: ['COCO', 'ATTR_JSON'],
    compatible_task_types: ['DETECTION', 'SEGMENTATION'],
    output_annotation_fmt: 'YOLO',
  }),
  manipulator({
    name: 'format_convert_to_coco',
    category: 'FORMAT_CONVERT',
    scope: ['PER_SOURCE'],
    compatible_annotation_fmts: ['YOLO', 'CLS_FOLDER'],
    output_annotation_fmt: 'COCO',
  }),
  manipulator({
    name: 'format_convert_visdrone_to_coco',
    category: 'FORMAT_CONVERT',
    scope: ['PER_SOURCE'],
    compatible_annotation_fmts: ['VISDRONE'],
    compatible_task_types: ['DETECTION', 'SEGMENTATION'],
    output_annotation_fmt: 'COCO',
  }),
  manipulator({
    name: 'mask_region_by_class',
    category: 'AUGMENT',
    scope: ['PER_SOURCE'],
    status: 'EXPERIMENTAL',
    compatible_task_types: ['DETECTION', 'SEGMENTATION'],
  }),
  manipulator({ name: 'old_filter', status: 'DEPRECATED' }),
];

export const CATALOG_MAP = new Map(CATALOG.map((m) => [m.name, m] as const));

export function candidate(partial: Partial<SourceCandidate> & { id: string }): SourceCandidate {
  const { id, ...rest } = partial;
  return {
    dataset: {
      id,
      group_id: `group-${id}`,
      split: 'TRAIN',
      version: 'v1.0.0',
      annotation_format: rest.format ?? 'COCO',
      annotation_format_overridden: false,
      storage_uri: `raw/${rest.groupName ?? 'demo'}/train/v1.0.0`,
      status: 'READY',
      image_count: 120,
      class_count: 80,
      metadata: {},
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
    },
    groupName: 'demo_coco',
    datasetType: 'RAW',
    format: 'COCO',
    taskTypes: ['DETECTION', 'SEGMENTATION'],
    modality: 'RGB',
    classNames: ['person', 'car'],
    ...rest,
  };
}

export function group(
  partial: Partial<Schemas['GroupSummary']> & { name: string },
): Schemas['GroupSummary'] {
  return {
    group_id: `id-${partial.name}`,
    annotation_format: 'COCO',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    dataset_type: 'PROCESSED',
    image_count: 0,
    modality: 'RGB',
    splits: [],
    task_types: ['DETECTION'],
    version_count: 0,
    ...partial,
  };
}
