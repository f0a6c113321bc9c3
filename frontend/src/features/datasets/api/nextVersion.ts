import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { datasetKeys } from './keys';

export function fetchNextVersion(groupId: string, split: Schemas['Split']) {
  return unwrap(
    api.GET('/api/v1/dataset-groups/{id}/next-version', {
      params: { path: { id: groupId }, query: { split } },
    }),
  );
}

export function nextVersionQueryOptions(groupId: string, split: Schemas['Split']) {
  return queryOptions({
    queryKey: datasetKeys.nextVersion(groupId, split),
    queryFn: () => fetchNextVersion(groupId, split),
    // Another registration may have taken the proposed version meanwhile.
    staleTime: 0,
  });
}

export function useNextVersion(groupId: string | undefined, split: Schemas['Split'] | undefined) {
  return useQuery({
    ...nextVersionQueryOptions(groupId ?? '', split ?? 'TRAIN'),
    enabled: Boolean(groupId && split),
  });
}
