import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { pipelineKeys } from './keys';

/** The version the next dataset of (group, split) would get. */
export async function fetchNextVersion(
  groupId: string,
  split: Schemas['Split'],
): Promise<Schemas['NextVersion']> {
  return unwrap(
    api.GET('/api/v1/dataset-groups/{id}/next-version', {
      params: { path: { id: groupId }, query: { split } },
    }),
  );
}

export const nextVersionQuery = (groupId: string, split: Schemas['Split']) =>
  queryOptions({
    queryKey: pipelineKeys.nextVersion(groupId, split),
    queryFn: () => fetchNextVersion(groupId, split),
  });

export function useNextVersion(groupId: string | undefined, split: Schemas['Split']) {
  return useQuery({
    ...nextVersionQuery(groupId ?? '', split),
    enabled: groupId !== undefined,
  });
}
