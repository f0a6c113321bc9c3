import type { operations } from '@/api/schema';
import { resourceKeys } from '@/api/queryKeys';
import type { SamplesQuery } from './samples';

/** The query of `GET /dataset-groups`, as the generated client types it. */
export type GroupListQuery = NonNullable<operations['list_groups']['parameters']['query']>;
export type LineageQuery = NonNullable<operations['dataset_lineage']['parameters']['query']>;

/** Query keys of the datasets feature, under the shared resource roots. */
export const datasetKeys = {
  groupLists: () => resourceKeys.groupLists,
  groupList: (query: GroupListQuery) => [...resourceKeys.groupLists, query] as const,
  group: resourceKeys.group,
  lineages: () => [...resourceKeys.datasets, 'lineage'] as const,
  lineage: (datasetId: string, query: LineageQuery) =>
    [...datasetKeys.lineages(), datasetId, query] as const,
  /** A version's EDA run and report (`GET /datasets/{id}/eda`). */
  eda: (datasetId: string) => [...resourceKeys.datasets, 'eda', datasetId] as const,
  /** A page of a version's samples (`GET /datasets/{id}/samples`). */
  samples: (datasetId: string, query: SamplesQuery) =>
    [...resourceKeys.datasets, 'samples', datasetId, query] as const,
};
