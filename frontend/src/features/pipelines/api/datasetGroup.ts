import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { pipelineKeys } from './keys';

/** One group with all its versions (used to preselect sources from `?source_group=`). */
export async function fetchGroup(id: string): Promise<Schemas['GroupDetail']> {
  return unwrap(api.GET('/api/v1/dataset-groups/{id}', { params: { path: { id } } }));
}

export const groupQuery = (id: string) =>
  queryOptions({ queryKey: pipelineKeys.group(id), queryFn: () => fetchGroup(id) });

export function useGroup(id: string | undefined) {
  return useQuery({ ...groupQuery(id ?? ''), enabled: id !== undefined && id !== '' });
}
