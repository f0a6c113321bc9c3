import type { Schemas } from '@/api/client';

type Execution = Pick<
  Schemas['Execution'],
  'status' | 'processed_count' | 'total_count' | 'started_at' | 'finished_at' | 'created_at'
>;

/** Percent done, or `null` while the total is unknown. */
export function percentOf(execution: Execution): number | null {
  const total = execution.total_count ?? 0;
  if (execution.status === 'DONE') {
    return 100;
  }
  if (total <= 0) {
    return null;
  }
  return Math.min(100, Math.floor((execution.processed_count / total) * 100));
}

/** Run time so far (running) or in all (ended); `null` before it started. */
export function elapsedMs(execution: Execution, now: number): number | null {
  if (!execution.started_at) {
    return null;
  }
  const end = execution.finished_at ? Date.parse(execution.finished_at) : now;
  return Math.max(0, end - Date.parse(execution.started_at));
}

/**
 * Time left at the rate so far (images per ms since the start); `null` when it cannot be told
 * yet (not running, nothing processed, no total).
 */
export function etaMs(execution: Execution, now: number): number | null {
  const elapsed = elapsedMs(execution, now);
  const total = execution.total_count ?? 0;
  if (
    execution.status !== 'RUNNING' ||
    elapsed === null ||
    elapsed <= 0 ||
    execution.processed_count <= 0 ||
    total <= 0
  ) {
    return null;
  }
  const rate = execution.processed_count / elapsed;
  return Math.max(0, (total - execution.processed_count) / rate);
}
