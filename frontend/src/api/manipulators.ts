import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from './client';
import { resourceKeys } from './queryKeys';

// The manipulator catalog, which more than one feature reads (Settings → Manipulators and the
// pipeline wizard). One fetcher caches one shape under `resourceKeys.manipulators`, so whichever
// page fills the cache first, the other finds what it expects.

type Manipulator = Schemas['Manipulator'];

/** The whole catalog (the API does not page it), as the list of its manipulators. */
export async function fetchManipulators(): Promise<Manipulator[]> {
  const list = await unwrap(api.GET('/api/v1/manipulators'));
  return list.items;
}

export const manipulatorsQueryOptions = () =>
  queryOptions({
    queryKey: resourceKeys.manipulators,
    queryFn: fetchManipulators,
    // Operators change statuses rarely; a minute keeps the wizard snappy between steps.
    staleTime: 60_000,
  });

export function useManipulators() {
  return useQuery(manipulatorsQueryOptions());
}

export function patchManipulatorStatus(
  name: string,
  status: Schemas['ManipulatorStatus'],
): Promise<Manipulator> {
  return unwrap(
    api.PATCH('/api/v1/manipulators/{name}', { params: { path: { name } }, body: { status } }),
  );
}

/** Marks a manipulator active, experimental or deprecated; every view of the catalog follows. */
export function useSetManipulatorStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, status }: { name: string; status: Schemas['ManipulatorStatus'] }) =>
      patchManipulatorStatus(name, status),
    onSuccess: async (updated) => {
      // The key carries the query's data type, so this cannot write another shape into the cache.
      const { queryKey } = manipulatorsQueryOptions();
      queryClient.setQueryData(queryKey, (catalog) =>
        catalog?.map((m) => (m.name === updated.name ? updated : m)),
      );
      await queryClient.invalidateQueries({ queryKey });
    },
  });
}
