import type { Schemas } from '@/api/client';

export interface ExecutionListParams {
  status?: Schemas['ExecutionStatus'];
  outputGroupId?: string;
  /** RFC 3339. */
  createdAfter?: string;
  createdBefore?: string;
  page: number;
  pageSize: number;
}

/**
 * The query keys of this feature in one place, so mutations invalidate exactly what they change.
 * Dataset and group keys start with the same roots the datasets feature uses, so a pipeline that
 * creates a version also refreshes the dataset pages after `invalidateQueries(['dataset-groups'])`.
 */
export const pipelineKeys = {
  all: ['pipelines'] as const,
  lists: () => [...pipelineKeys.all, 'list'] as const,
  list: (params: ExecutionListParams) => [...pipelineKeys.lists(), params] as const,
  detail: (id: string) => [...pipelineKeys.all, 'detail', id] as const,
  manipulators: ['manipulators'] as const,
  groups: ['dataset-groups', 'all-for-pipelines'] as const,
  group: (id: string) => ['dataset-groups', 'detail', id] as const,
  nextVersion: (groupId: string, split: Schemas['Split']) =>
    ['dataset-groups', 'next-version', groupId, split] as const,
  readyDatasets: ['datasets', 'ready-for-pipelines'] as const,
};
