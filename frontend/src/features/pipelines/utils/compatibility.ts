import type { Schemas } from '@/api/client';

type Manipulator = Schemas['Manipulator'];
type AnnotationFormat = Schemas['AnnotationFormat'];
type TaskType = Schemas['TaskType'];
type Scope = Schemas['Scope'];

/** Where a step would run: the same three facts the backend's resolver checks. */
export interface ChainPoint {
  scope: Scope;
  /** The annotation format at this point of the chain. */
  format: AnnotationFormat;
  /** The source's task types (per source) or the output's (post merge). */
  taskTypes: readonly TaskType[];
}

export const SCOPE_LABELS: Record<Scope, string> = {
  PER_SOURCE: 'in a source chain',
  POST_MERGE: 'after the merge',
};

/**
 * Why `manipulator` cannot run at `point`, in the order the backend reports them (empty: it can).
 * Mirrors `crates/core/src/pipeline/resolve.rs` so the wizard refuses what the preview would.
 */
export function incompatibilities(manipulator: Manipulator, point: ChainPoint): string[] {
  const reasons: string[] = [];
  if (!manipulator.scope.includes(point.scope)) {
    reasons.push(`${manipulator.name} cannot run ${SCOPE_LABELS[point.scope]}`);
  }
  if (manipulator.status === 'DEPRECATED') {
    reasons.push(`${manipulator.name} is deprecated and can no longer be used`);
  }
  if (manipulator.status === 'EXPERIMENTAL') {
    reasons.push(`${manipulator.name} is experimental (API and CLI only)`);
  }
  if (!manipulator.compatible_annotation_fmts.includes(point.format)) {
    reasons.push(
      `${manipulator.name} does not work on ${point.format} annotations at this point; it takes ${manipulator.compatible_annotation_fmts.join(', ')}`,
    );
  }
  const unsupported = point.taskTypes.filter((t) => !manipulator.compatible_task_types.includes(t));
  if (unsupported.length > 0) {
    reasons.push(`${manipulator.name} does not support the task type ${unsupported.join(', ')}`);
  }
  return reasons;
}

/** How the "Add manipulator" list shows a manipulator at a chain point. */
export type Offer = 'enabled' | 'disabled' | 'hidden';

export function offerAt(manipulator: Manipulator, point: ChainPoint): Offer {
  if (manipulator.status === 'DEPRECATED') {
    return 'hidden';
  }
  const fits =
    manipulator.scope.includes(point.scope) &&
    manipulator.compatible_annotation_fmts.includes(point.format) &&
    point.taskTypes.every((t) => manipulator.compatible_task_types.includes(t));
  if (!fits) {
    return 'hidden';
  }
  return manipulator.status === 'EXPERIMENTAL' ? 'disabled' : 'enabled';
}

/**
 * The format at every point of a chain: `[start, after step 1, …, after step n]`. Unknown
 * manipulators leave the format as it is (the validation reports them).
 */
export function chainFormats(
  start: AnnotationFormat,
  stepNames: readonly string[],
  catalog: ReadonlyMap<string, Manipulator>,
): AnnotationFormat[] {
  const formats: AnnotationFormat[] = [start];
  let format = start;
  for (const name of stepNames) {
    format = catalog.get(name)?.output_annotation_fmt ?? format;
    formats.push(format);
  }
  return formats;
}

/**
 * The shortest chain of usable converters from `from` to `to` for data of `taskTypes`, `[]`
 * when no conversion is needed and `null` when none exists.
 */
export function converterPath(
  from: AnnotationFormat,
  to: AnnotationFormat,
  catalog: readonly Manipulator[],
  taskTypes: readonly TaskType[],
): Manipulator[] | null {
  if (from === to) {
    return [];
  }
  const converters = catalog.filter(
    (m) =>
      m.output_annotation_fmt !== null &&
      m.output_annotation_fmt !== undefined &&
      m.status === 'ACTIVE' &&
      m.scope.includes('PER_SOURCE') &&
      taskTypes.every((t) => m.compatible_task_types.includes(t)),
  );
  const queue: { format: AnnotationFormat; path: Manipulator[] }[] = [{ format: from, path: [] }];
  const seen = new Set<AnnotationFormat>([from]);
  while (queue.length > 0) {
    const { format, path } = queue.shift() as { format: AnnotationFormat; path: Manipulator[] };
    for (const converter of converters) {
      const next = converter.output_annotation_fmt as AnnotationFormat;
      if (!converter.compatible_annotation_fmts.includes(format) || seen.has(next)) {
        continue;
      }
      if (next === to) {
        return [...path, converter];
      }
      seen.add(next);
      queue.push({ format: next, path: [...path, converter] });
    }
  }
  return null;
}

/** A READY version as a candidate source, with its group's facts. */
export interface SourceCandidate {
  dataset: Schemas['Dataset'];
  groupName: string;
  datasetType: Schemas['DatasetType'];
  format: AnnotationFormat;
  taskTypes: TaskType[];
  modality: Schemas['Modality'];
  /** From the class histogram taken at registration (for class-name suggestions). */
  classNames: string[];
}

export interface SourceFit {
  compatible: boolean;
  /** Why it is not (shown when "Show all" lists it anyway). */
  reasons: string[];
  /** The converters its chain needs to end in the output's format. */
  converters: Manipulator[];
}

/**
 * Whether a candidate can feed the output: a task type in common, the same modality, and a way
 * to its format (the same one, or converters).
 */
export function sourceFit(
  candidate: Pick<SourceCandidate, 'format' | 'taskTypes' | 'modality'>,
  output: {
    taskTypes: readonly TaskType[];
    modality: Schemas['Modality'];
    annotationFormat: AnnotationFormat;
  },
  catalog: readonly Manipulator[],
): SourceFit {
  const reasons: string[] = [];
  if (!candidate.taskTypes.some((t) => output.taskTypes.includes(t))) {
    reasons.push(
      `no task type in common with the output (${candidate.taskTypes.join(', ') || 'none'})`,
    );
  }
  if (candidate.modality !== output.modality) {
    reasons.push(`${candidate.modality} images, the output is ${output.modality}`);
  }
  const converters = converterPath(
    candidate.format,
    output.annotationFormat,
    catalog,
    candidate.taskTypes,
  );
  if (converters === null) {
    reasons.push(`no manipulator converts ${candidate.format} to ${output.annotationFormat}`);
  }
  return { compatible: reasons.length === 0, reasons, converters: converters ?? [] };
}

/** Class names from a dataset's `metadata.class_histogram`, when it has one. */
export function classNamesOf(metadata: unknown): string[] {
  if (typeof metadata !== 'object' || metadata === null) {
    return [];
  }
  const histogram = (metadata as { class_histogram?: unknown }).class_histogram;
  if (!Array.isArray(histogram)) {
    return [];
  }
  const names: string[] = [];
  for (const row of histogram) {
    if (typeof row === 'object' && row !== null) {
      const name = (row as { name?: unknown }).name;
      if (typeof name === 'string') {
        names.push(name);
      }
    }
  }
  return names;
}
