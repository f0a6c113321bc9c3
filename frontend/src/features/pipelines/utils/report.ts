import type { Schemas } from '@/api/client';

// The engine's report (crates/core/src/pipeline/report.rs) travels as a free-form object in the
// OpenAPI document; these readers take what they recognise and skip the rest, so a report of a
// newer engine still shows.

export interface ReportStep {
  step: string;
  manipulator: string;
  imagesIn: number;
  imagesOut: number;
  annotationsIn: number;
  annotationsOut: number;
  categoriesOut: number;
}

export interface ReportWarning {
  step: string;
  message: string;
}

export interface ReportRename {
  step: string;
  source: string;
  from: string;
  to: string;
  reason: string;
}

export interface ReportTally {
  action: string;
  reason: string;
  count: number;
}

export interface ReadReport {
  steps: ReportStep[];
  warnings: ReportWarning[];
  renames: ReportRename[];
  conversion: ReportTally[];
}

type Loose = Record<string, unknown>;

function isLoose(value: unknown): value is Loose {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): Loose[] {
  return Array.isArray(value) ? value.filter(isLoose) : [];
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');
const num = (value: unknown) => (typeof value === 'number' ? value : 0);

export function readReport(report: unknown): ReadReport {
  const root = isLoose(report) ? report : {};
  const conversion = isLoose(root.conversion) ? root.conversion : {};
  return {
    steps: list(root.steps).map((s) => ({
      step: str(s.step),
      manipulator: str(s.manipulator),
      imagesIn: num(s.images_in),
      imagesOut: num(s.images_out),
      annotationsIn: num(s.annotations_in),
      annotationsOut: num(s.annotations_out),
      categoriesOut: num(s.categories_out),
    })),
    warnings: list(root.warnings).map((w) => ({ step: str(w.step), message: str(w.message) })),
    renames: list(root.renames).map((r) => ({
      step: str(r.step),
      source: str(r.source),
      from: str(r.from),
      to: str(r.to),
      reason: str(r.reason),
    })),
    conversion: list(conversion.summary).map((t) => ({
      action: str(t.action),
      reason: str(t.reason),
      count: num(t.count),
    })),
  };
}

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
