import { resourceKeys } from '@/api/queryKeys';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import type { DatamillPipelineConfig } from '@/api/pipeline-config';
import { pipelineKeys } from './keys';

export async function submitPipeline(
  config: DatamillPipelineConfig,
): Promise<Schemas['Execution']> {
  return unwrap(
    api.POST('/api/v1/pipelines', { body: config as unknown as Record<string, never> }),
  );
}

export function useSubmitPipeline() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: submitPipeline,
    meta: { toast: false },
    onSuccess: async (execution) => {
      queryClient.setQueryData(pipelineKeys.detail(execution.id), execution);
      // A submission creates the output group (when new), a PENDING dataset and an execution.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: pipelineKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: resourceKeys.groups }),
        queryClient.invalidateQueries({ queryKey: resourceKeys.datasets }),
      ]);
    },
  });
}
