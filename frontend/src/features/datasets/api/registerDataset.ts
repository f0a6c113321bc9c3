import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { resourceKeys } from '@/api/queryKeys';
import { datasetKeys } from './keys';

export function registerDataset(body: Schemas['NewDataset']) {
  return unwrap(api.POST('/api/v1/datasets', { body }));
}

/** Errors are shown next to the registration form's fields, so no toast. */
export function useRegisterDataset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: registerDataset,
    meta: { toast: false },
    onSuccess: (dataset) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: datasetKeys.groupLists() }),
        // The group's detail and every next-version proposal of it live under this key.
        queryClient.invalidateQueries({ queryKey: datasetKeys.group(dataset.group_id) }),
        // Dataset lists elsewhere (the pipeline wizard's source candidates) gain a version.
        queryClient.invalidateQueries({ queryKey: resourceKeys.datasets }),
      ]),
  });
}
