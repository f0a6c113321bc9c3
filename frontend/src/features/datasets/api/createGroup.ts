import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { datasetKeys } from './keys';

export function createGroup(body: Schemas['NewGroup']) {
  return unwrap(api.POST('/api/v1/dataset-groups', { body }));
}

/** Errors are shown next to the registration form's fields, so no toast. */
export function useCreateGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createGroup,
    meta: { toast: false },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: datasetKeys.groupLists() }),
  });
}
