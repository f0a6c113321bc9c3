import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { isEdaLive } from './eda';
import { datasetKeys, type GroupListQuery } from './keys';

/** How often the list asks again while an EDA on the page is queued or running. */
export const LIST_EDA_POLL_INTERVAL_MS = 3_000;

/** Whether any version on the page has an EDA still queued or running. */
export function hasLiveEda(page: Schemas['GroupPage'] | undefined): boolean {
  return (page?.items ?? []).some((group) =>
    group.splits.some((split) => split.versions.some((v) => isEdaLive(v.eda?.status))),
  );
}

export function fetchGroups(query: GroupListQuery) {
  return unwrap(api.GET('/api/v1/dataset-groups', { params: { query } }));
}

export function groupsQueryOptions(query: GroupListQuery) {
  return queryOptions({
    queryKey: datasetKeys.groupList(query),
    queryFn: () => fetchGroups(query),
    // A new filter or page keeps the current rows on screen (dimmed) until the answer arrives.
    placeholderData: keepPreviousData,
    // Spinners in the EDA column turn into results without a reload.
    refetchInterval: (query) => (hasLiveEda(query.state.data) ? LIST_EDA_POLL_INTERVAL_MS : false),
  });
}

export function useGroups(query: GroupListQuery, options: { enabled?: boolean } = {}) {
  return useQuery({ ...groupsQueryOptions(query), enabled: options.enabled ?? true });
}
