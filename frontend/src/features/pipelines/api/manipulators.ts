import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { pipelineKeys } from './keys';

/** The whole catalog; the wizard filters it per chain point on the client. */
export async function fetchManipulators(): Promise<Schemas['Manipulator'][]> {
  const page = await unwrap(api.GET('/api/v1/manipulators'));
  return page.items;
}

export const manipulatorsQuery = () =>
  queryOptions({
    queryKey: pipelineKeys.manipulators,
    queryFn: fetchManipulators,
    // Operators change statuses rarely; a minute keeps the wizard snappy between steps.
    staleTime: 60_000,
  });

export function useManipulators() {
  return useQuery(manipulatorsQuery());
}
