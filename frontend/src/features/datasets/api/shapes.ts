import type { Schemas } from '@/api/client';
import type { StepSpec } from '@/api/pipeline-config';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `file:line $.json.path`, the way the CLI prints a location. */
export function locationText(location: Schemas['Location']): string {
  const parts: string[] = [];
  if (location.file) {
    parts.push(location.line ? `${location.file}:${location.line}` : location.file);
  } else if (location.line) {
    parts.push(`line ${location.line}`);
  }
  if (location.json_path) {
    parts.push(location.json_path);
  }
  return parts.length > 0 ? parts.join(' ') : '(dataset)';
}

/** What a lineage edge says was done to its parent: per-source steps and the post-merge chain. */
export interface EdgeTransform {
  executionId: string | undefined;
  sources: { sourceIndex: number | undefined; steps: StepSpec[] }[];
  postMerge: StepSpec[];
}

function stepsOf(value: unknown): StepSpec[] {
  if (!Array.isArray(value)) {
    return [];
  }
  // Edges recorded by hand (imports, fixtures) may name steps with bare strings.
  return value.flatMap((step): StepSpec[] => {
    if (typeof step === 'string') {
      return [{ name: step }];
    }
    if (isRecord(step) && typeof step.name === 'string') {
      return [{ name: step.name, params: isRecord(step.params) ? step.params : undefined }];
    }
    return [];
  });
}

/** `transform_config` is free-form JSON on the wire; this reads the shape pipelines write. */
export function edgeTransform(config: unknown): EdgeTransform {
  if (!isRecord(config)) {
    return { executionId: undefined, sources: [], postMerge: [] };
  }
  const sources = Array.isArray(config.sources)
    ? config.sources.filter(isRecord).map((source) => ({
        sourceIndex: typeof source.source_index === 'number' ? source.source_index : undefined,
        steps: stepsOf(source.manipulators),
      }))
    : [];
  // A flat `manipulators` list is how an edge without per-source detail records its steps.
  if (sources.length === 0 && Array.isArray(config.manipulators)) {
    sources.push({ sourceIndex: undefined, steps: stepsOf(config.manipulators) });
  }
  return {
    executionId: typeof config.execution_id === 'string' ? config.execution_id : undefined,
    sources,
    postMerge: stepsOf(config.post_merge),
  };
}

/** Annotations counted at registration (`metadata.counts.annotations`), when recorded. */
export function annotationCount(metadata: unknown): number | undefined {
  if (!isRecord(metadata) || !isRecord(metadata.counts)) {
    return undefined;
  }
  const count = metadata.counts.annotations;
  return typeof count === 'number' ? count : undefined;
}

/**
 * The image directory of a version, relative to its storage path: what the validator found at
 * registration (`metadata.validation.layout.image_root`, `.` for the dataset folder itself), else
 * `images`, where pipelines write their outputs' images.
 */
export function imageRootOf(metadata: unknown): string {
  if (isRecord(metadata) && isRecord(metadata.validation)) {
    const layout = metadata.validation.layout;
    if (isRecord(layout) && typeof layout.image_root === 'string') {
      return layout.image_root;
    }
  }
  return 'images';
}
