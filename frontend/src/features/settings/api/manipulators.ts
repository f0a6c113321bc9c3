import { resourceKeys } from '@/api/queryKeys';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas, unwrap } from '@/api/client';

export const manipulatorsKey = resourceKeys.manipulators;

export function fetchManipulators(): Promise<Schemas['ManipulatorList']> {
  return unwrap(api.GET('/api/v1/manipulators'));
}

export const manipulatorsQuery = () =>
  queryOptions({ queryKey: manipulatorsKey, queryFn: fetchManipulators, staleTime: 60_000 });

export function useManipulators() {
  return useQuery(manipulatorsQuery());
}

export function patchManipulatorStatus(
  name: string,
  status: Schemas['ManipulatorStatus'],
): Promise<Schemas['Manipulator']> {
  return unwrap(
    api.PATCH('/api/v1/manipulators/{name}', { params: { path: { name } }, body: { status } }),
  );
}

export function useSetManipulatorStatus() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ name, status }: { name: string; status: Schemas['ManipulatorStatus'] }) =>
      patchManipulatorStatus(name, status),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: manipulatorsKey }),
  });
}
