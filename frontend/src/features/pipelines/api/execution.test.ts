import { describe, expect, it } from 'vitest';
import type { Schemas } from '@/api/client';
import { POLL_INTERVAL_MS, executionQuery, executionRefetchInterval } from './execution';

const statuses: Schemas['ExecutionStatus'][] = [
  'PENDING',
  'RUNNING',
  'DONE',
  'FAILED',
  'CANCELLED',
];

describe('execution polling', () => {
  it('polls every 3 s while PENDING or RUNNING and stops once ended', () => {
    expect(POLL_INTERVAL_MS).toBe(3000);
    expect(
      Object.fromEntries(statuses.map((status) => [status, executionRefetchInterval({ status })])),
    ).toEqual({
      PENDING: 3000,
      RUNNING: 3000,
      DONE: false,
      FAILED: false,
      CANCELLED: false,
    });
    expect(executionRefetchInterval(undefined)).toBe(false);
  });

  it('is what the query options use', () => {
    const options = executionQuery('x');
    const interval = options.refetchInterval;
    expect(typeof interval).toBe('function');
    if (typeof interval !== 'function') {
      return;
    }
    const queryWith = (status: Schemas['ExecutionStatus']) =>
      ({ state: { data: { status } } }) as unknown as Parameters<typeof interval>[0];
    expect(interval(queryWith('RUNNING'))).toBe(3000);
    expect(interval(queryWith('DONE'))).toBe(false);
  });
});
