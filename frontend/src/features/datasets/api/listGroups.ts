import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { datasetKeys, type GroupListQuery } from './keys';

export function fetchGroups(query: GroupListQuery) {
  return unwrap(api.GET('/api/v1/dataset-groups', { params: { query } }));
}

export function groupsQueryOptions(query: GroupListQuery) {
  return queryOptions({
    queryKey: datasetKeys.groupList(query),
    queryFn: () => fetchGroups(query),
    // A new filter or page keeps the current rows on screen (dimmed) until the answer arrives.
    placeholderData: keepPreviousData,
  });
}

export function useGroups(query: GroupListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({ ...groupsQueryOptions(query), enabled: options.enabled ?? true });
}
