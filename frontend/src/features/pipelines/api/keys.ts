import type { Schemas } from '@/api/client';
import { resourceKeys } from '@/api/queryKeys';

export interface ExecutionListParams {
  status?: Schemas['ExecutionStatus'];
  outputGroupId?: string;
  /** RFC 3339. */
  createdAfter?: string;
  createdBefore?: string;
  page: number;
  pageSize: number;
}

/** Query keys of the pipelines feature, under the shared resource roots. */
export const pipelineKeys = {
  all: resourceKeys.executions,
  lists: () => [...resourceKeys.executions, 'list'] as const,
  list: (params: ExecutionListParams) => [...pipelineKeys.lists(), params] as const,
  detail: (id: string) => [...resourceKeys.executions, 'detail', id] as const,
  // Under the group lists, so a new group (registration, another pipeline) refreshes it.
  groups: [...resourceKeys.groupLists, 'all-for-pipelines'] as const,
  readyDatasets: [...resourceKeys.datasets, 'ready-for-pipelines'] as const,
};
