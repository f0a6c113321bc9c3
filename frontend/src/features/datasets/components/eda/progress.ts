import type { Schemas } from '@/api/client';

/** The worker's stages (`current_stage`), in words. */
export const EDA_STAGES: Record<string, string> = {
  reading: 'Reading the annotations',
  annotations: 'Counting classes and boxes',
  headers: 'Reading image headers',
  duplicates: 'Looking for duplicate files',
  thermal: 'Measuring thermal intensities',
  gallery: 'Writing the gallery',
  done: 'Done',
};

export function stageText(stage: string | null | undefined): string {
  return stage ? (EDA_STAGES[stage] ?? stage) : 'Waiting for a worker';
}

/** Percent done of the current stage, or `null` while its total is unknown. */
export function edaPercent(
  run: Pick<Schemas['EdaRun'], 'status' | 'processed_count' | 'total_count'>,
) {
  if (run.status === 'DONE') {
    return 100;
  }
  if (run.total_count <= 0) {
    return null;
  }
  return Math.min(100, Math.floor((run.processed_count / run.total_count) * 100));
}
