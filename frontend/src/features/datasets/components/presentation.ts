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
