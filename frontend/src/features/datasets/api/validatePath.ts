import { useMutation } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';

export function validatePath(body: Schemas['ValidatePathRequest']) {
  return unwrap(api.POST('/api/v1/datasets/validate-path', { body }));
}

/**
 * A POST, but nothing changes on the server: there is nothing to invalidate. The form shows a
 * refused path next to the NAS path field, hence no toast.
 */
export function useValidatePath() {
  return useMutation({ mutationFn: validatePath, meta: { toast: false } });
}
