import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api, unwrap, type Schemas } from '@/api/client';
import type { operations } from '@/api/schema';
import { datasetKeys } from './keys';

export type SamplePage = Schemas['SamplePage'];
export type Sample = Schemas['Sample'];
export type SampleAnnotation = Schemas['SampleAnnotation'];
export type SampleCategory = Schemas['SampleCategory'];
/** The query of `GET /datasets/{id}/samples`, as the generated client types it. */
export type SamplesQuery = NonNullable<operations['dataset_samples']['parameters']['query']>;

export function fetchSamples(datasetId: string, query: SamplesQuery): Promise<SamplePage> {
  return unwrap(
    api.GET('/api/v1/datasets/{id}/samples', { params: { path: { id: datasetId }, query } }),
  );
}

export function samplesQueryOptions(datasetId: string, query: SamplesQuery) {
  return queryOptions({
    queryKey: datasetKeys.samples(datasetId, query),
    queryFn: () => fetchSamples(datasetId, query),
    // The grid keeps the page it shows while the next one loads, instead of flashing a skeleton.
    placeholderData: keepPreviousData,
    // A seeded page of a version never changes while the version exists; no need to ask again.
    staleTime: 5 * 60_000,
  });
}

/** A page of a version's samples; idle until the version and the seed are known. */
export function useSamples(datasetId: string | undefined, query: SamplesQuery | undefined) {
  return useQuery({
    ...samplesQueryOptions(datasetId ?? '', query ?? {}),
    enabled: Boolean(datasetId) && query !== undefined,
  });
}

/**
 * The preview of an image at most `max` pixels on its longer side. The server rounds `max` up to
 * one of its cached sizes, so the GUI asks for few distinct sizes (320 and 1600) to hit its cache.
 */
export function previewUrl(url: string, max: number): string {
  const base = typeof window === 'undefined' ? 'http://localhost' : window.location.origin;
  const parsed = new URL(url, base);
  parsed.searchParams.set('max', String(max));
  return parsed.origin === base ? `${parsed.pathname}${parsed.search}` : parsed.toString();
}
