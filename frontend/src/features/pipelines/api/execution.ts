import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { pipelineKeys } from './keys';

export const POLL_INTERVAL_MS = 3_000;

export async function fetchExecution(id: string): Promise<Schemas['Execution']> {
  return unwrap(api.GET('/api/v1/pipelines/{id}', { params: { path: { id } } }));
}

/** Whether an execution can still change (so its page keeps asking). */
export function isLive(status: Schemas['ExecutionStatus'] | undefined): boolean {
  return status === 'PENDING' || status === 'RUNNING';
}

/** Poll every 3 s while the execution is queued or running; stop once it has ended. */
export function executionRefetchInterval(
  execution: Pick<Schemas['Execution'], 'status'> | undefined,
): number | false {
  return isLive(execution?.status) ? POLL_INTERVAL_MS : false;
}

export const executionQuery = (id: string) =>
  queryOptions({
    queryKey: pipelineKeys.detail(id),
    queryFn: () => fetchExecution(id),
    refetchInterval: (query) => executionRefetchInterval(query.state.data),
    // Progress must move even when the operator looks at another tab.
    refetchIntervalInBackground: true,
    staleTime: 0,
  });

export function useExecution(id: string) {
  return useQuery(executionQuery(id));
}
