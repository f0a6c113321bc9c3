import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api, type Schemas, unwrap } from './client';
import { resourceKeys } from './queryKeys';

// The group endpoints more than one feature reads (the dataset pages and the pipeline wizard).

export function fetchGroup(id: string): Promise<Schemas['GroupDetail']> {
  return unwrap(api.GET('/api/v1/dataset-groups/{id}', { params: { path: { id } } }));
}

/** Whether an error means the group does not exist (or the id cannot name one). */
export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

export function groupQueryOptions(id: string) {
  return queryOptions({
    queryKey: resourceKeys.group(id),
    queryFn: () => fetchGroup(id),
    // A missing group is shown as a "not found" page; a toast on top of it would say it twice.
    meta: { toast: false },
  });
}

/** One group with all its versions; idle while `id` is unknown. */
export function useGroup(id: string | undefined) {
  return useQuery({ ...groupQueryOptions(id ?? ''), enabled: Boolean(id) });
}

/** The version the next dataset of (group, split) would get. */
export function fetchNextVersion(
  groupId: string,
  split: Schemas['Split'],
): Promise<Schemas['NextVersion']> {
  return unwrap(
    api.GET('/api/v1/dataset-groups/{id}/next-version', {
      params: { path: { id: groupId }, query: { split } },
    }),
  );
}

export function nextVersionQueryOptions(groupId: string, split: Schemas['Split']) {
  return queryOptions({
    queryKey: resourceKeys.nextVersion(groupId, split),
    queryFn: () => fetchNextVersion(groupId, split),
    // Another registration or pipeline may have taken the proposed version meanwhile.
    staleTime: 0,
  });
}

export function useNextVersion(groupId: string | undefined, split: Schemas['Split'] | undefined) {
  return useQuery({
    ...nextVersionQueryOptions(groupId ?? '', split ?? 'TRAIN'),
    enabled: Boolean(groupId && split),
  });
}
