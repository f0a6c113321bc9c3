import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { pipelineKeys } from './keys';

const PAGE_SIZE = 200;
// A guard against a runaway loop if the server's total and pages ever disagree.
const MAX_PAGES = 25;

/**
 * Every group (all pages): the wizard needs their task types, modality and type to judge sources
 * and output groups, and the history page their names.
 */
export async function fetchAllGroups(): Promise<Schemas['GroupSummary'][]> {
  const items: Schemas['GroupSummary'][] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await unwrap(
      api.GET('/api/v1/dataset-groups', {
        params: { query: { page, page_size: PAGE_SIZE, sort: 'name' } },
      }),
    );
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) {
      break;
    }
  }
  return items;
}

export const allGroupsQuery = () =>
  queryOptions({ queryKey: pipelineKeys.groups, queryFn: fetchAllGroups, staleTime: 30_000 });

export function useAllGroups() {
  return useQuery(allGroupsQuery());
}
