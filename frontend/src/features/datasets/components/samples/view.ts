import type { SamplesQuery } from '../../api/samples';

/** The page sizes offered; the API takes 1..=200. */
export const PAGE_SIZES = [12, 24, 48, 96] as const;
export const DEFAULT_PAGE_SIZE = 24;
const MAX_PAGE_SIZE = 200;
const MAX_SEED = 0xffff_ffff;

/**
 * What the samples tab shows, as kept in the URL (`class`, `seed`, `page`, `n`): a reload or a
 * shared link shows the same images in the same order.
 */
export interface SamplesView {
  className: string | undefined;
  seed: number | undefined;
  page: number;
  n: number;
}

function wholeNumber(raw: string | null, min: number, max: number): number | undefined {
  if (raw === null || !/^\d+$/.test(raw)) return undefined;
  const value = Number(raw);
  return value >= min && value <= max ? value : undefined;
}

export function samplesViewOf(params: URLSearchParams): SamplesView {
  return {
    className: params.get('class') || undefined,
    seed: wholeNumber(params.get('seed'), 0, MAX_SEED),
    page: wholeNumber(params.get('page'), 1, Number.MAX_SAFE_INTEGER) ?? 1,
    n: wholeNumber(params.get('n'), 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE,
  };
}

/** The URL's parameters with `patch` applied; defaults are left out to keep links short. */
export function withSamplesView(
  params: URLSearchParams,
  patch: Partial<SamplesView>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  const view = { ...samplesViewOf(params), ...patch };
  const set = (key: string, value: string | undefined) => {
    if (value === undefined) next.delete(key);
    else next.set(key, value);
  };
  set('class', view.className);
  set('seed', view.seed === undefined ? undefined : String(view.seed));
  set('page', view.page === 1 ? undefined : String(view.page));
  set('n', view.n === DEFAULT_PAGE_SIZE ? undefined : String(view.n));
  return next;
}

/** The API query of a view; none until the view has a seed. */
export function samplesQuery(view: SamplesView): SamplesQuery | undefined {
  if (view.seed === undefined) return undefined;
  return {
    n: view.n,
    seed: view.seed,
    page: view.page,
    ...(view.className ? { class: view.className } : {}),
  };
}

/**
 * A fresh random order. The GUI picks the seed (rather than letting the server pick one) so that
 * the first request already carries the seed the URL will hold: a reload asks for the same key
 * and is answered from the cache.
 */
export function newSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? Math.floor(Math.random() * MAX_SEED);
}
