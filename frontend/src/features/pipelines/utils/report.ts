import type { Schemas } from '@/api/client';

// The config snapshot of an execution travels as a free-form object in the OpenAPI document (it
// is the submitted pipeline config, whose schema is proto-schemas/pipeline_config.schema.json);
// these readers take what they recognise, so a snapshot written by an older release still shows.

type Loose = Record<string, unknown>;

function isLoose(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

/** The part of a stored config snapshot the execution pages show. */
export interface ConfigOutput {
  group: string;
  split: Schemas['Split'] | string;
  version: string | null;
  datasetType: string;
  annotationFormat: string;
}

export function readConfigOutput(config: unknown): ConfigOutput | null {
  if (!isLoose(config) || !isLoose(config.output)) {
    return null;
  }
  const output = config.output;
  return {
    group: str(output.group),
    split: str(output.split),
    version: typeof output.version === 'string' ? output.version : null,
    datasetType: str(output.dataset_type),
    annotationFormat: str(output.annotation_format),
  };
}

/** How many sources a config snapshot has. */
export function sourceCountOf(config: unknown): number {
  return isLoose(config) && Array.isArray(config.sources) ? config.sources.length : 0;
}

/** `$.sources[0].manipulators[1]` → `Source 1 › step 2`, for reports that have no draft at hand. */
export function stepPathLabel(path: string): string {
  const source = /^\$\.sources\[(\d+)\]\.(?:manipulators|steps)\[(\d+)\]/.exec(path);
  if (source) {
    return `Source ${Number(source[1]) + 1} › step ${Number(source[2]) + 1}`;
  }
  const post = /^\$\.post_merge\[(\d+)\]/.exec(path);
  if (post) {
    return `Post-merge › step ${Number(post[1]) + 1}`;
  }
  if (path.startsWith('$.post_merge')) {
    return 'Post-merge › merge';
  }
  return path;
}
