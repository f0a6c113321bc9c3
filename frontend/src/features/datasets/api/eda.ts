import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api, unwrap, type Schemas } from '@/api/client';
import { datasetKeys } from './keys';

/** How often the tab asks while a run is queued or running. */
export const EDA_POLL_INTERVAL_MS = 1_000;

export function fetchEda(datasetId: string): Promise<Schemas['EdaRun']> {
  return unwrap(api.GET('/api/v1/datasets/{id}/eda', { params: { path: { id: datasetId } } }));
}

/** Whether a run can still change (so the tab keeps asking). */
export function isEdaLive(status: Schemas['EdaStatus'] | undefined): boolean {
  return status === 'PENDING' || status === 'RUNNING';
}

/** Poll every second while the run is queued or running; stop once it is done or failed. */
export function edaRefetchInterval(
  run: Pick<Schemas['EdaRun'], 'status'> | undefined,
): number | false {
  return isEdaLive(run?.status) ? EDA_POLL_INTERVAL_MS : false;
}

export function edaQueryOptions(datasetId: string) {
  return queryOptions({
    queryKey: datasetKeys.eda(datasetId),
    queryFn: () => fetchEda(datasetId),
    refetchInterval: (query) => edaRefetchInterval(query.state.data),
    // Progress must move even when the user looks at another browser tab.
    refetchIntervalInBackground: true,
    staleTime: 0,
  });
}

/**
 * A version's EDA run and the report of its last finished run; idle while `datasetId` is unknown.
 * When a run it watched ends, the dataset list (which shows each version's EDA) is refreshed.
 */
export function useEda(datasetId: string | undefined) {
  const query = useQuery({ ...edaQueryOptions(datasetId ?? ''), enabled: Boolean(datasetId) });
  const queryClient = useQueryClient();
  const status = query.data?.status;
  const previous = useRef(status);
  useEffect(() => {
    if (isEdaLive(previous.current) && status !== undefined && !isEdaLive(status)) {
      void queryClient.invalidateQueries({ queryKey: datasetKeys.groupLists() });
    }
    previous.current = status;
  }, [status, queryClient]);
  return query;
}

export function rerunEda(datasetId: string): Promise<Schemas['EdaRun']> {
  return unwrap(api.POST('/api/v1/datasets/{id}/eda', { params: { path: { id: datasetId } } }));
}

/**
 * Queues a new run. The answer (PENDING) goes straight into the cache, so the tab shows the
 * queued run and starts polling at once. A 409 (`EDA_RUNNING`, `DATASET_NOT_READY`) is shown in
 * the tab next to the button, hence no toast.
 */
export function useRerunEda() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: rerunEda,
    meta: { toast: false },
    onSuccess: (run) => {
      queryClient.setQueryData(datasetKeys.eda(run.dataset_id), run);
      // The list shows each version's EDA state.
      return queryClient.invalidateQueries({ queryKey: datasetKeys.groupLists() });
    },
  });
}
