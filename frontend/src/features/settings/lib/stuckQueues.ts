import type { Schemas } from '@/api/client';

/** A due job waiting longer than this with no live worker of its kind means nobody takes jobs. */
export const STUCK_AFTER_SECS = 60;

/** The queues whose due jobs wait with no ALIVE worker of their kind to take them. */
export function stuckQueues(status: Schemas['SystemStatus']): Set<string> {
  const alive = new Set(status.workers.filter((w) => w.state === 'ALIVE').map((w) => w.kind));
  return new Set(
    status.queues
      .filter((q) => (q.oldest_pending_age_secs ?? 0) > STUCK_AFTER_SECS && !alive.has(q.name))
      .map((q) => q.name),
  );
}
