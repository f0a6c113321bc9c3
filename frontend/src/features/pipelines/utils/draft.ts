import type { Schemas } from '@/api/client';

type Split = Schemas['Split'];
type TaskType = Schemas['TaskType'];
type AnnotationFormat = Schemas['AnnotationFormat'];
type Modality = Schemas['Modality'];
type DatasetType = Schemas['DatasetType'];

/** One manipulator in a chain, as the user is editing it. */
export interface DraftStep {
  /** Stable across reorders, so each step's form keeps its state. */
  key: string;
  name: string;
  params: Record<string, unknown>;
}

/** A selected source version and its own chain; the order of sources is the merge order. */
export interface DraftSource {
  datasetId: string;
  steps: DraftStep[];
}

/** What step 1 edits. `null` in `datasetType`/`version` means "the suggestion". */
export interface DraftOutput {
  groupMode: 'new' | 'existing';
  /** The new group's name, or the existing group's. */
  groupName: string;
  datasetType: DatasetType | null;
  split: Split;
  version: string | null;
  taskTypes: TaskType[];
  annotationFormat: AnnotationFormat;
  modality: Modality;
  description: string;
}

export interface WizardDraft {
  output: DraftOutput;
  sources: DraftSource[];
  postMerge: DraftStep[];
}

export const EMPTY_OUTPUT: DraftOutput = {
  groupMode: 'new',
  groupName: '',
  datasetType: null,
  split: 'TRAIN',
  version: null,
  taskTypes: ['DETECTION'],
  annotationFormat: 'COCO',
  modality: 'RGB',
  description: '',
};

export const EMPTY_DRAFT: WizardDraft = { output: EMPTY_OUTPUT, sources: [], postMerge: [] };

let counter = 0;
/** A key for a new step (unique within the page's life, which is all a React key needs). */
export function newStepKey(): string {
  counter += 1;
  return `step-${Date.now().toString(36)}-${counter}`;
}

/** PROCESSED for one source, FUSION for several (the dataset type's very definition). */
export function suggestedDatasetType(sourceCount: number): DatasetType {
  return sourceCount > 1 ? 'FUSION' : 'PROCESSED';
}

/** The group the output names, when it exists (names are unique ignoring case). */
export function findGroupByName<G extends { name: string }>(
  groups: readonly G[],
  name: string,
): G | undefined {
  const wanted = name.trim().toLowerCase();
  return wanted === '' ? undefined : groups.find((g) => g.name.toLowerCase() === wanted);
}

/** The dataset type the config will carry: the existing group's, the user's, or the suggestion. */
export function effectiveDatasetType(
  draft: WizardDraft,
  existing: { dataset_type: DatasetType } | undefined,
): DatasetType {
  return (
    existing?.dataset_type ?? draft.output.datasetType ?? suggestedDatasetType(draft.sources.length)
  );
}

/** Moves the item at `index` by `delta` places (a no-op at the ends). */
export function move<T>(items: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) {
    return [...items];
  }
  const next = [...items];
  const [item] = next.splice(index, 1);
  next.splice(target, 0, item as T);
  return next;
}
