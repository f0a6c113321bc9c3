import type { DatamillPipelineConfig, SourceSpec, StepSpec } from '@/api/pipeline-config';
import type { Schemas } from '@/api/client';
import { type DraftStep, type WizardDraft, effectiveDatasetType, findGroupByName } from './draft';

function steps(chain: readonly DraftStep[]): StepSpec[] {
  return chain.map((step) => ({ name: step.name, params: step.params }));
}

/**
 * The body of `POST /pipelines` and `/pipelines/preview`, or `null` while it cannot be one (no
 * source, no task type). A version left to the suggestion is left out: the server then assigns
 * the next patch version itself, under its lock.
 */
export function buildConfig(
  draft: WizardDraft,
  groups: readonly Pick<Schemas['GroupSummary'], 'name' | 'dataset_type'>[],
): DatamillPipelineConfig | null {
  const [first, ...rest] = draft.sources;
  const [firstTask, ...otherTasks] = draft.output.taskTypes;
  if (!first || !firstTask) {
    return null;
  }
  const name = draft.output.groupName.trim();
  const existing = findGroupByName(groups, name);
  const source = (s: (typeof draft.sources)[number]): SourceSpec => ({
    dataset_id: s.datasetId,
    manipulators: steps(s.steps),
  });
  const description = draft.output.description.trim();
  const version = draft.output.version?.trim();
  return {
    output: {
      // An existing group keeps its stored spelling (names are unique ignoring case).
      group: existing?.name ?? name,
      dataset_type: effectiveDatasetType(draft, existing),
      split: draft.output.split,
      ...(version ? { version } : {}),
      annotation_format: draft.output.annotationFormat,
      task_types: [firstTask, ...otherTasks],
      modality: draft.output.modality,
      ...(description ? { description } : {}),
    },
    sources: [source(first), ...rest.map(source)],
    post_merge: steps(draft.postMerge),
  };
}

/** A stable fingerprint of a config: a preview is valid for exactly this key. */
export function configKey(config: DatamillPipelineConfig | null): string | null {
  return config === null ? null : JSON.stringify(config);
}
