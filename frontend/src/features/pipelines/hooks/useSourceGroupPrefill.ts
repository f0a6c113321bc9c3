import { useEffect } from 'react';
import type { Schemas } from '@/api/client';
import { useGroup } from '@/api/groups';
import { stepOf } from '../utils/steps';
import { useWizardStore } from '../stores/wizardStore';
import { converterPath } from '../utils/compatibility';
import type { DraftOutput } from '../utils/draft';
import { UNWRITABLE_FORMATS } from '../utils/wizardValidation';

const SPLIT_PREFERENCE: readonly Schemas['Split'][] = ['TRAIN', 'VAL', 'TEST', 'NONE'];

/** A name for the output group that no group has yet: `<source>_processed`, then `_2`, `_3`… */
function freeName(base: string, groups: readonly { name: string }[]): string {
  const taken = new Set(groups.map((g) => g.name.toLowerCase()));
  for (let n = 1; ; n += 1) {
    const name = n === 1 ? `${base}_processed` : `${base}_processed_${n}`;
    if (!taken.has(name.toLowerCase())) {
      return name;
    }
  }
}

/**
 * `?source_group=<id>` ("Run pipeline" on a dataset): a fresh draft with that group's latest READY
 * version of its first split (TRAIN before VAL…) as the source and an output shaped like it.
 * One split only, because a pipeline writes one split; the user can tick more in step 2.
 */
export function useSourceGroupPrefill(
  sourceGroup: string | null,
  catalog: readonly Schemas['Manipulator'][],
  groups: readonly { name: string }[] | undefined,
) {
  const prefilledFrom = useWizardStore((s) => s.prefilledFrom);
  const prefill = useWizardStore((s) => s.prefill);
  const pending = sourceGroup !== null && sourceGroup !== prefilledFrom;
  const group = useGroup(pending ? sourceGroup : undefined);

  useEffect(() => {
    if (!pending || !group.data || catalog.length === 0 || groups === undefined) {
      return;
    }
    const detail = group.data;
    const latest = SPLIT_PREFERENCE.map((split) =>
      detail.datasets.find((d) => d.split === split && d.status === 'READY'),
    ).find((d) => d !== undefined);
    const format: Schemas['AnnotationFormat'] = UNWRITABLE_FORMATS.includes(
      detail.annotation_format,
    )
      ? 'COCO'
      : detail.annotation_format;
    const output: Partial<DraftOutput> = {
      groupMode: 'new',
      groupName: freeName(detail.name, groups),
      split: latest?.split ?? 'TRAIN',
      annotationFormat: format,
      modality: detail.modality,
      ...(detail.task_types.length > 0 ? { taskTypes: detail.task_types } : {}),
    };
    const converters = latest
      ? (converterPath(latest.annotation_format, format, catalog, detail.task_types) ?? [])
      : [];
    prefill(
      detail.id,
      output,
      latest ? [{ datasetId: latest.id, steps: converters.map(stepOf) }] : [],
    );
  }, [pending, group.data, catalog, groups, prefill]);

  return {
    isLoading: pending && (group.isLoading || groups === undefined || catalog.length === 0),
    error: group.error,
  };
}
