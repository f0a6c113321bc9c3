import type { Schemas } from '@/api/client';

// The option lists the forms and filters offer. `satisfies` makes tsc fail when the API gains or
// loses a value and these lists are not updated with it (the generated types are the source).
type Exhaustive<T extends string> = { [K in T]: string };

export const DATASET_TYPES = {
  RAW: 'Raw',
  SOURCE: 'Source',
  PROCESSED: 'Processed',
  FUSION: 'Fusion',
} as const satisfies Exhaustive<Schemas['DatasetType']>;

export const ANNOTATION_FORMATS = {
  COCO: 'COCO',
  YOLO: 'YOLO',
  ATTR_JSON: 'Attribute JSON',
  CLS_FOLDER: 'Class folders',
  VISDRONE: 'VisDrone',
  CUSTOM: 'Custom',
  NONE: 'None (images only)',
} as const satisfies Exhaustive<Schemas['AnnotationFormat']>;

export const MODALITIES = {
  RGB: 'RGB',
  THERMAL: 'Thermal',
  DEPTH: 'Depth',
  MULTISPECTRAL: 'Multispectral',
} as const satisfies Exhaustive<Schemas['Modality']>;

export const SPLITS = {
  TRAIN: 'Train',
  VAL: 'Val',
  TEST: 'Test',
  NONE: 'None',
} as const satisfies Exhaustive<Schemas['Split']>;

export const DATASET_STATUSES = {
  PENDING: 'Pending',
  PROCESSING: 'Processing',
  READY: 'Ready',
  ERROR: 'Error',
} as const satisfies Exhaustive<Schemas['DatasetStatus']>;

export const TASK_TYPES = {
  DETECTION: 'Detection',
  SEGMENTATION: 'Segmentation',
  ATTR_CLASSIFICATION: 'Attribute classification',
  ZERO_SHOT: 'Zero-shot',
  CLASSIFICATION: 'Classification',
} as const satisfies Exhaustive<Schemas['TaskType']>;

export const EXECUTION_STATUSES = {
  PENDING: 'Pending',
  RUNNING: 'Running',
  DONE: 'Done',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
} as const satisfies Exhaustive<Schemas['ExecutionStatus']>;

export const EDA_STATUSES = {
  NOT_REQUESTED: 'Not run',
  PENDING: 'Queued',
  RUNNING: 'Running',
  DONE: 'Done',
  FAILED: 'Failed',
} as const satisfies Exhaustive<Schemas['EdaStatus']>;

/** `{ value, label }` pairs for an Ant Design Select, in declaration order. */
export function optionsOf<T extends string>(labels: Exhaustive<T>): { value: T; label: string }[] {
  return (Object.entries(labels) as [T, string][]).map(([value, label]) => ({ value, label }));
}

/** Whether `value` is one of the keys of `labels` (for values read from the URL). */
export function isOneOf<T extends string>(labels: Exhaustive<T>, value: string): value is T {
  return Object.prototype.hasOwnProperty.call(labels, value);
}
