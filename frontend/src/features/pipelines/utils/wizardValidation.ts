import type { Schemas } from '@/api/client';
import { ANNOTATION_FORMATS } from '@/lib/enums';
import {
  type ChainPoint,
  chainFormats,
  converterPath,
  incompatibilities,
  type SourceCandidate,
} from './compatibility';
import { type DraftStep, type WizardDraft, effectiveDatasetType, findGroupByName } from './draft';

type Manipulator = Schemas['Manipulator'];
type AnnotationFormat = Schemas['AnnotationFormat'];

export const GROUP_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
export const GROUP_NAME_MAX = 128;
export const VERSION_PATTERN = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;
export const MERGE = 'merge_datasets';

/** Formats Datamill can read but not write (`AnnotationFormat::is_writable` in the core). */
export const UNWRITABLE_FORMATS: readonly AnnotationFormat[] = ['VISDRONE', 'CUSTOM'];

/** The wizard's steps, in order. */
export const WIZARD_STEPS = ['Output', 'Sources', 'Post-merge & preview'] as const;

/** One reason a step is not ready; `field` names the output field it belongs to, if any. */
export interface Problem {
  field?: 'groupName' | 'datasetType' | 'version' | 'taskTypes' | 'annotationFormat';
  message: string;
}

export interface StepCheck {
  valid: boolean;
  problems: Problem[];
}

/** What a group looks like to the rules (a GroupSummary has all of it). */
export type GroupFacts = Pick<
  Schemas['GroupSummary'],
  'group_id' | 'name' | 'dataset_type' | 'splits'
>;

export interface ValidationContext {
  groups: readonly GroupFacts[];
  catalog: ReadonlyMap<string, Manipulator>;
  candidates: ReadonlyMap<string, SourceCandidate>;
  /** Problems of `params` against a params schema (injected so the rules stay pure and fast to test). */
  validateParams: (schema: unknown, params: Record<string, unknown>) => string[];
}

function check(problems: Problem[]): StepCheck {
  return { valid: problems.length === 0, problems };
}

/** Step 1: the output names a usable group, type, version, task types and a writable format. */
export function validateOutput(
  draft: WizardDraft,
  ctx: Pick<ValidationContext, 'groups'>,
): StepCheck {
  const { output } = draft;
  const problems: Problem[] = [];
  const name = output.groupName.trim();
  const existing = findGroupByName(ctx.groups, name);
  if (name === '') {
    problems.push({
      field: 'groupName',
      message:
        output.groupMode === 'existing' ? 'Choose the output group' : 'Name the output group',
    });
  } else if (output.groupMode === 'existing' && !existing) {
    problems.push({ field: 'groupName', message: `There is no group named ${name}` });
  } else if (!GROUP_NAME_PATTERN.test(name)) {
    problems.push({
      field: 'groupName',
      message: 'A group name uses letters, digits, _, - and ., starting with a letter or digit',
    });
  } else if (name.length > GROUP_NAME_MAX) {
    problems.push({
      field: 'groupName',
      message: `A group name has at most ${GROUP_NAME_MAX} characters`,
    });
  }
  if (existing && existing.dataset_type !== 'PROCESSED' && existing.dataset_type !== 'FUSION') {
    problems.push({
      field: 'groupName',
      message: `${existing.name} holds ${existing.dataset_type} datasets; a pipeline writes to PROCESSED or FUSION groups`,
    });
  }
  const datasetType = effectiveDatasetType(draft, existing);
  if (datasetType !== 'PROCESSED' && datasetType !== 'FUSION') {
    problems.push({
      field: 'datasetType',
      message: 'A pipeline builds PROCESSED or FUSION datasets',
    });
  }
  if (output.version !== null) {
    const version = output.version.trim();
    if (version === '') {
      problems.push({
        field: 'version',
        message: 'Enter a version (vMAJOR.MINOR.PATCH) or use the proposed one',
      });
    } else if (!VERSION_PATTERN.test(version)) {
      problems.push({ field: 'version', message: `${version} is not a version like v1.0.0` });
    } else if (
      existing?.splits.some(
        (s) => s.split === output.split && s.versions.some((v) => v.version === version),
      )
    ) {
      problems.push({
        field: 'version',
        message: `${existing.name} already has ${output.split} ${version}; versions are immutable`,
      });
    }
  }
  if (output.taskTypes.length === 0) {
    problems.push({ field: 'taskTypes', message: 'Choose at least one task type' });
  }
  if (UNWRITABLE_FORMATS.includes(output.annotationFormat)) {
    problems.push({
      field: 'annotationFormat',
      message: `Datamill cannot write ${ANNOTATION_FORMATS[output.annotationFormat]} annotations`,
    });
  }
  return check(problems);
}

/** What is wrong with each step of a chain and with the chain as a whole. */
export interface ChainCheck {
  /** Per step, in order. */
  steps: string[][];
  /** About the chain (its end format, the merge's position). */
  chain: string[];
  /** The format after each step: `[start, after 1, …]`. */
  formats: AnnotationFormat[];
}

/** Checks a chain step by step as the backend's resolver does, plus each step's params. */
export function checkChain(
  steps: readonly DraftStep[],
  start: ChainPoint,
  target: AnnotationFormat,
  ctx: Pick<ValidationContext, 'catalog' | 'validateParams'>,
): ChainCheck {
  const formats = chainFormats(
    start.format,
    steps.map((s) => s.name),
    ctx.catalog,
  );
  const stepProblems = steps.map((step, index) => {
    const manipulator = ctx.catalog.get(step.name);
    if (!manipulator) {
      return [`There is no manipulator ${step.name}`];
    }
    const point: ChainPoint = { ...start, format: formats[index] ?? start.format };
    const problems = incompatibilities(manipulator, point);
    if (start.scope === 'POST_MERGE' && step.name === MERGE && index > 0) {
      problems.push('merge_datasets must be the first post-merge step');
    }
    return [...problems, ...ctx.validateParams(manipulator.params_schema, step.params)];
  });
  const chain: string[] = [];
  const end = formats[formats.length - 1] ?? start.format;
  if (end !== target) {
    const converters = converterPath(end, target, [...ctx.catalog.values()], start.taskTypes);
    const hint =
      converters && converters.length > 0
        ? `; add ${converters.map((c) => c.name).join(' then ')}`
        : `; no manipulator converts ${end} to ${target}`;
    chain.push(
      start.scope === 'PER_SOURCE'
        ? `its annotations end up as ${end} but the output is ${target}${hint}`
        : `the post-merge chain changes the format to ${end}, but the output is ${target}`,
    );
  }
  return { steps: stepProblems, chain, formats };
}

/** `Source 2 (coco TRAIN v1.0.0)`. */
export function sourceLabel(index: number, candidate: SourceCandidate | undefined): string {
  return candidate
    ? `Source ${index + 1} (${candidate.groupName} ${candidate.dataset.split} ${candidate.dataset.version})`
    : `Source ${index + 1}`;
}

/** The chain check of source `index`, or `undefined` when it is not a known READY version. */
export function checkSourceChain(
  draft: WizardDraft,
  index: number,
  ctx: Pick<ValidationContext, 'catalog' | 'validateParams' | 'candidates'>,
): ChainCheck | undefined {
  const source = draft.sources[index];
  const candidate = source ? ctx.candidates.get(source.datasetId) : undefined;
  if (!source || !candidate) {
    return undefined;
  }
  return checkChain(
    source.steps,
    { scope: 'PER_SOURCE', format: candidate.format, taskTypes: candidate.taskTypes },
    draft.output.annotationFormat,
    ctx,
  );
}

/** Step 2: at least one READY source, each chain valid and ending in the output's format. */
export function validateSources(draft: WizardDraft, ctx: ValidationContext): StepCheck {
  const problems: Problem[] = [];
  if (draft.sources.length === 0) {
    problems.push({ message: 'Select at least one source dataset' });
  }
  draft.sources.forEach((source, index) => {
    const candidate = ctx.candidates.get(source.datasetId);
    const label = sourceLabel(index, candidate);
    const result = checkSourceChain(draft, index, ctx);
    if (!result) {
      problems.push({ message: `${label} is not a READY dataset version` });
      return;
    }
    result.steps.forEach((stepProblems, position) => {
      for (const message of stepProblems) {
        problems.push({
          message: `${label} › step ${position + 1} (${source.steps[position]?.name ?? '?'}): ${message}`,
        });
      }
    });
    for (const message of result.chain) {
      problems.push({ message: `${label}: ${message}` });
    }
  });
  return check(problems);
}

/** The post-merge chain's check (it starts and must end in the output's format). */
export function checkPostMerge(
  draft: WizardDraft,
  ctx: Pick<ValidationContext, 'catalog' | 'validateParams'>,
): ChainCheck {
  return checkChain(
    draft.postMerge,
    {
      scope: 'POST_MERGE',
      format: draft.output.annotationFormat,
      taskTypes: draft.output.taskTypes,
    },
    draft.output.annotationFormat,
    ctx,
  );
}

/** Step 3: every post-merge step valid, merge_datasets only first. */
export function validatePostMerge(draft: WizardDraft, ctx: ValidationContext): StepCheck {
  const result = checkPostMerge(draft, ctx);
  const problems: Problem[] = [];
  result.steps.forEach((stepProblems, position) => {
    for (const message of stepProblems) {
      problems.push({
        message: `Post-merge › step ${position + 1} (${draft.postMerge[position]?.name ?? '?'}): ${message}`,
      });
    }
  });
  for (const message of result.chain) {
    problems.push({ message: `Post-merge: ${message}` });
  }
  return check(problems);
}

/** The check of wizard step `index` (0 output, 1 sources, 2 post-merge). */
export function validateStep(index: number, draft: WizardDraft, ctx: ValidationContext): StepCheck {
  switch (index) {
    case 0:
      return validateOutput(draft, ctx);
    case 1:
      return validateSources(draft, ctx);
    default:
      return validatePostMerge(draft, ctx);
  }
}

/** The first step that is not valid (where "Submit" sends the user), or `null`. */
export function firstInvalidStep(draft: WizardDraft, ctx: ValidationContext): number | null {
  for (let index = 0; index < WIZARD_STEPS.length; index += 1) {
    if (!validateStep(index, draft, ctx).valid) {
      return index;
    }
  }
  return null;
}

/**
 * Submit needs every step valid and a successful preview of exactly the config that would be
 * sent (any change after the preview makes it stale).
 */
export function submitBlocker(args: {
  stepsValid: boolean;
  currentConfigKey: string | null;
  previewedConfigKey: string | null;
}): string | null {
  if (!args.stepsValid || args.currentConfigKey === null) {
    return 'Fix the problems listed above first';
  }
  if (args.previewedConfigKey === null) {
    return 'Preview the pipeline first';
  }
  if (args.previewedConfigKey !== args.currentConfigKey) {
    return 'The configuration changed since the preview; preview it again';
  }
  return null;
}
