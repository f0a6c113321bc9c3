import type { Schemas } from '@/api/client';

/** One colour per dataset type, shared by tags and lineage nodes so a graph reads at a glance. */
export const DATASET_TYPE_COLOURS: Record<Schemas['DatasetType'], { tag: string; hex: string }> = {
  RAW: { tag: 'default', hex: '#8c8c8c' },
  SOURCE: { tag: 'blue', hex: '#1677ff' },
  PROCESSED: { tag: 'purple', hex: '#722ed1' },
  FUSION: { tag: 'orange', hex: '#fa8c16' },
};

/** The pipelines feature is reached by URL only (features do not import each other). */
export function runPipelineUrl(groupId: string): string {
  return `/pipelines/new?source_group=${encodeURIComponent(groupId)}`;
}

export function registerVersionUrl(groupId: string): string {
  return `/datasets/new?group=${encodeURIComponent(groupId)}`;
}

/**
 * A NAS file (or folder, with a trailing `/`) as the gateway and nginx serve it read-only under
 * `/static/`. Each segment is escaped; `.` and empty segments are dropped.
 */
export function staticUrl(...paths: string[]): string {
  const segments = paths
    .flatMap((path) => path.split('/'))
    .filter((segment) => segment !== '' && segment !== '.');
  return `/static/${segments.map(encodeURIComponent).join('/')}`;
}

/** The EDA tab of a group's page, on one version. */
export function edaUrl(groupId: string, datasetId: string): string {
  return `/datasets/${encodeURIComponent(groupId)}?tab=eda&version=${encodeURIComponent(datasetId)}`;
}

/** The samples tab of a group's page, on one version. */
export function samplesUrl(groupId: string, datasetId: string): string {
  return `/datasets/${encodeURIComponent(groupId)}?tab=samples&version=${encodeURIComponent(datasetId)}`;
}

/**
 * Where a lineage node leads: that version's group page, on the lineage of that version, so
 * following nodes walks the graph.
 */
export function lineageUrl(dataset: Pick<Schemas['Dataset'], 'group_id' | 'id'>): string {
  return `/datasets/${encodeURIComponent(dataset.group_id)}?tab=lineage&version=${encodeURIComponent(dataset.id)}`;
}
