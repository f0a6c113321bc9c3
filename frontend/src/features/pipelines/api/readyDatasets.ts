import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { pipelineKeys } from './keys';

const PAGE_SIZE = 200;
const MAX_PAGES = 25;

/** Every READY dataset version (all pages): only READY versions can be pipeline sources. */
export async function fetchReadyDatasets(): Promise<Schemas['Dataset'][]> {
  const items: Schemas['Dataset'][] = [];
  for (let page = 1; page <= MAX_PAGES; page += 1) {
    const result = await unwrap(
      api.GET('/api/v1/datasets', {
        params: { query: { status: 'READY', page, page_size: PAGE_SIZE } },
      }),
    );
    items.push(...result.items);
    if (items.length >= result.total || result.items.length === 0) {
      break;
    }
  }
  return items;
}

export const readyDatasetsQuery = () =>
  queryOptions({
    queryKey: pipelineKeys.readyDatasets,
    queryFn: fetchReadyDatasets,
    staleTime: 30_000,
  });

export function useReadyDatasets() {
  return useQuery(readyDatasetsQuery());
}
