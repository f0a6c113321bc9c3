import { useMemo } from 'react';
import type { Schemas } from '@/api/client';
import { useManipulators } from '@/api/manipulators';
import { useAllGroups } from '../api/datasetGroups';
import { useReadyDatasets } from '../api/readyDatasets';
import { type SourceCandidate, classNamesOf } from '../utils/compatibility';
import { validateParams } from '../utils/schemaForm';
import type { ValidationContext } from '../utils/wizardValidation';

/**
 * Everything the wizard reads from the server, joined: the catalog by name, READY versions as
 * candidates with their group's facts, and the groups (for output group choices).
 */
export function useWizardData() {
  const manipulators = useManipulators();
  const groups = useAllGroups();
  const datasets = useReadyDatasets();

  const catalog = useMemo(
    () => new Map((manipulators.data ?? []).map((m) => [m.name, m] as const)),
    [manipulators.data],
  );
  const candidates = useMemo(() => {
    const byId = new Map<string, Schemas['GroupSummary']>(
      (groups.data ?? []).map((g) => [g.group_id, g]),
    );
    const result = new Map<string, SourceCandidate>();
    for (const dataset of datasets.data ?? []) {
      const group = byId.get(dataset.group_id);
      result.set(dataset.id, {
        dataset,
        // The summary view can trail a registration by a moment; the path still names the group.
        groupName: group?.name ?? dataset.storage_uri.split('/')[1] ?? dataset.group_id,
        datasetType: group?.dataset_type ?? 'RAW',
        format: dataset.annotation_format,
        taskTypes: group?.task_types ?? [],
        modality: group?.modality ?? 'RGB',
        classNames: classNamesOf(dataset.metadata),
      });
    }
    return result;
  }, [datasets.data, groups.data]);

  const ctx = useMemo<ValidationContext>(
    () => ({ groups: groups.data ?? [], catalog, candidates, validateParams }),
    [groups.data, catalog, candidates],
  );

  const queries = [manipulators, groups, datasets];
  return {
    ctx,
    manipulators: manipulators.data ?? [],
    groups: groups.data ?? [],
    isLoading: queries.some((q) => q.isLoading),
    error: queries.find((q) => q.error)?.error ?? null,
    refetch: () => queries.forEach((q) => void q.refetch()),
  };
}
