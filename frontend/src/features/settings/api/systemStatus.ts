import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '@/api/client';
import { settingsKeys } from './keys';

export function fetchSystemStatus(): Promise<Schemas['SystemStatus']> {
  return unwrap(api.GET('/api/v1/system/status'));
}

/** Workers beat every 5 s; the page follows at the same pace. */
export const SYSTEM_STATUS_REFETCH_MS = 5_000;

export const systemStatusQuery = () =>
  queryOptions({
    queryKey: settingsKeys.systemStatus,
    queryFn: fetchSystemStatus,
    refetchInterval: SYSTEM_STATUS_REFETCH_MS,
    // The page shows the outage itself; a toast every 5 s would only repeat it.
    meta: { toast: false },
    retry: false,
  });

export function useSystemStatus() {
  return useQuery(systemStatusQuery());
}
