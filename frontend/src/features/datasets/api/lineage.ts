import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap } from '@/api/client';
import { datasetKeys, type LineageQuery } from './keys';

export function fetchLineage(datasetId: string, query: LineageQuery) {
  return unwrap(
    api.GET('/api/v1/datasets/{id}/lineage', {
      params: { path: { id: datasetId }, query },
    }),
  );
}

export function lineageQueryOptions(datasetId: string, query: LineageQuery) {
  return queryOptions({
    queryKey: datasetKeys.lineage(datasetId, query),
    queryFn: () => fetchLineage(datasetId, query),
  });
}

export function useLineage(datasetId: string | undefined, query: LineageQuery) {
  return useQuery({ ...lineageQueryOptions(datasetId ?? '', query), enabled: Boolean(datasetId) });
}
