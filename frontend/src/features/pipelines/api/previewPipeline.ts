import { useMutation } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import type { DatamillPipelineConfig } from '@/api/pipeline-config';

/**
 * The dry run. The OpenAPI document types the body as a bare object (the config has its own
 * schema, proto-schemas/pipeline_config.schema.json), hence the cast.
 */
export async function previewPipeline(
  config: DatamillPipelineConfig,
): Promise<Schemas['PipelinePreview']> {
  return unwrap(
    api.POST('/api/v1/pipelines/preview', { body: config as unknown as Record<string, never> }),
  );
}

/** A mutation (it is a POST with a body), but it changes nothing, so it invalidates nothing. */
export function usePreviewPipeline() {
  return useMutation({
    mutationFn: previewPipeline,
    // The wizard shows every problem next to the step it names.
    meta: { toast: false },
  });
}
