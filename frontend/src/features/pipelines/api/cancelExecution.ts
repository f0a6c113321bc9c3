import { resourceKeys } from '@/api/queryKeys';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import { pipelineKeys } from './keys';

export async function cancelExecution(id: string): Promise<Schemas['Execution']> {
  return unwrap(api.POST('/api/v1/pipelines/{id}/cancel', { params: { path: { id } } }));
}

export function useCancelExecution() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: cancelExecution,
    onSuccess: async (execution) => {
      queryClient.setQueryData(pipelineKeys.detail(execution.id), execution);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: pipelineKeys.detail(execution.id) }),
        queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() }),
        // A cancelled PENDING execution turns its output dataset to ERROR.
        queryClient.invalidateQueries({ queryKey: resourceKeys.groups }),
        queryClient.invalidateQueries({ queryKey: resourceKeys.datasets }),
      ]);
    },
  });
}
