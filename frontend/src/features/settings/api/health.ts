import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '@/api/client';
import { settingsKeys } from './keys';

export function fetchHealth(): Promise<Schemas['Health']> {
  return unwrap(api.GET('/api/v1/health'));
}

export const healthQuery = () =>
  queryOptions({
    queryKey: settingsKeys.health,
    queryFn: fetchHealth,
    refetchInterval: 10_000,
    // The page shows the outage itself; a toast every 10 s would only repeat it.
    meta: { toast: false },
    retry: false,
  });

export function useHealth() {
  return useQuery(healthQuery());
}
