import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { POLL_INTERVAL_MS, isLive } from './execution';
import { type ExecutionListParams, pipelineKeys } from './keys';

export async function fetchExecutions(
  params: ExecutionListParams,
): Promise<Schemas['ExecutionPage']> {
  return unwrap(
    api.GET('/api/v1/pipelines', {
      params: {
        query: {
          status: params.status,
          output_group_id: params.outputGroupId,
          created_after: params.createdAfter,
          created_before: params.createdBefore,
          page: params.page,
          page_size: params.pageSize,
        },
      },
    }),
  );
}

export const executionsQuery = (params: ExecutionListParams) =>
  queryOptions({
    queryKey: pipelineKeys.list(params),
    queryFn: () => fetchExecutions(params),
    placeholderData: keepPreviousData,
    // While a listed execution runs, its row's progress keeps moving.
    refetchInterval: (query) =>
      query.state.data?.items.some((e) => isLive(e.status)) ? POLL_INTERVAL_MS : false,
  });

export function useExecutions(params: ExecutionListParams) {
  return useQuery(executionsQuery(params));
}
