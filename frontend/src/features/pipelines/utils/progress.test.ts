import { describe, expect, it } from 'vitest';
import { elapsedMs, etaMs, percentOf } from './progress';

const base = {
  status: 'RUNNING' as const,
  processed_count: 25,
  total_count: 100,
  started_at: '2026-01-01T00:00:00Z',
  finished_at: null,
  created_at: '2026-01-01T00:00:00Z',
};
const at = (seconds: number) => Date.parse('2026-01-01T00:00:00Z') + seconds * 1000;

describe('progress, elapsed and ETA', () => {
  it('computes them from the counts and the start', () => {
    expect(percentOf(base)).toBe(25);
    expect(elapsedMs(base, at(10))).toBe(10_000);
    // 25 images in 10 s → 75 left take 30 s.
    expect(etaMs(base, at(10))).toBe(30_000);
  });

  it('has no ETA before the first image or when not running', () => {
    expect(etaMs({ ...base, processed_count: 0 }, at(10))).toBeNull();
    expect(etaMs({ ...base, status: 'DONE' }, at(10))).toBeNull();
    expect(percentOf({ ...base, total_count: null })).toBeNull();
    expect(percentOf({ ...base, status: 'DONE', total_count: null })).toBe(100);
    expect(elapsedMs({ ...base, started_at: null }, at(10))).toBeNull();
    expect(elapsedMs({ ...base, finished_at: '2026-01-01T00:01:00Z' }, at(500))).toBe(60_000);
  });
});
