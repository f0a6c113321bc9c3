import type { operations } from '@/api/schema';

/** The query of `GET /dataset-groups`, as the generated client types it. */
export type GroupListQuery = NonNullable<operations['list_groups']['parameters']['query']>;
export type LineageQuery = NonNullable<operations['dataset_lineage']['parameters']['query']>;

/**
 * Query keys of the datasets feature. Nested so that one invalidation reaches everything a
 * change can affect: a registration changes the list, the group's detail and its next version.
 */
export const datasetKeys = {
  all: ['datasets'] as const,
  groups: () => [...datasetKeys.all, 'groups'] as const,
  groupLists: () => [...datasetKeys.groups(), 'list'] as const,
  groupList: (query: GroupListQuery) => [...datasetKeys.groupLists(), query] as const,
  group: (id: string) => [...datasetKeys.groups(), 'detail', id] as const,
  nextVersion: (groupId: string, split: string) =>
    [...datasetKeys.group(groupId), 'next-version', split] as const,
  lineages: () => [...datasetKeys.all, 'lineage'] as const,
  lineage: (datasetId: string, query: LineageQuery) =>
    [...datasetKeys.lineages(), datasetId, query] as const,
};
