import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api, unwrap } from '@/api/client';
import { datasetKeys } from './keys';

export function fetchGroup(id: string) {
  return unwrap(api.GET('/api/v1/dataset-groups/{id}', { params: { path: { id } } }));
}

/** Whether an error means the group does not exist (or the id cannot name one). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

export function groupQueryOptions(id: string) {
  return queryOptions({
    queryKey: datasetKeys.group(id),
    queryFn: () => fetchGroup(id),
    // A missing group is shown as a "not found" page; a toast on top of it would say it twice.
    meta: { toast: false },
  });
}

export function useGroup(id: string | undefined) {
  return useQuery({ ...groupQueryOptions(id ?? ''), enabled: Boolean(id) });
}
