/* eslint-disable react-refresh/only-export-components -- test helpers, never hot-reloaded */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router-dom';
import type { Schemas } from '@/api/client';

// Helpers for this feature's component tests (not a test file itself).

export type Handler = (
  request: Request,
  url: URL,
) => Response | undefined | Promise<Response | undefined>;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function problem(body: Schemas['Problem']): Response {
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

/**
 * The `fetch` the API client calls: the first handler that answers wins; anything unhandled is
 * a 404 problem so a missing stub shows up as a failing assertion rather than a hang.
 */
export function routeFetch(handlers: Handler[]) {
  return async (input: RequestInfo | URL): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input);
    const url = new URL(request.url);
    for (const handler of handlers) {
      const response = await handler(request, url);
      if (response) {
        return response;
      }
    }
    return problem({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'NOT_FOUND',
      detail: `no stub for ${request.method} ${url.pathname}`,
    });
  };
}

/** The requests a fetch mock saw, as URLs (the client calls fetch with a Request). */
export function requestedUrls(mock: { mock: { calls: unknown[][] } }): URL[] {
  return mock.mock.calls.map(
    ([input]) => new URL(input instanceof Request ? input.url : String(input)),
  );
}

function LocationDisplay() {
  const location = useLocation();
  return <div data-testid="location">{`${location.pathname}${location.search}`}</div>;
}

export function renderRoute(element: ReactElement, { path, url }: { path: string; url: string }) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter initialEntries={[url]}>
        <Routes>
          <Route path={path} element={element} />
          <Route path="*" element={<div>Elsewhere</div>} />
        </Routes>
        <LocationDisplay />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

export const GROUP_ID = '0553e6fe-db28-4dde-ba03-7c0f1c1c045e';

export const summary: Schemas['GroupSummary'] = {
  group_id: GROUP_ID,
  name: 'demo_coco',
  dataset_type: 'RAW',
  annotation_format: 'COCO',
  task_types: ['DETECTION', 'SEGMENTATION'],
  modality: 'RGB',
  source_origin: 'datamill synth',
  description: 'Demo data',
  version_count: 2,
  image_count: 150,
  splits: [
    {
      split: 'TRAIN',
      versions: [
        {
          id: 'd7fdb188-dd6a-4053-92aa-6e94ed525e97',
          version: 'v1.0.0',
          status: 'READY',
          image_count: 120,
          class_count: 80,
          annotation_format: 'COCO',
          storage_uri: 'raw/demo_coco/train/v1.0.0',
          created_at: '2026-11-27T04:25:47.983476+00:00',
          updated_at: '2026-11-27T04:25:47.983476+00:00',
          eda: { status: 'DONE', objects: 1234, classes_used: 61, health_issues: 3 },
        },
      ],
    },
    {
      split: 'VAL',
      versions: [
        {
          id: '22e7f20a-082f-4312-898b-84d927df00a3',
          version: 'v1.0.0',
          status: 'PROCESSING',
          image_count: 30,
          class_count: 79,
          annotation_format: 'COCO',
          storage_uri: 'raw/demo_coco/val/v1.0.0',
          created_at: '2026-11-27T04:25:48.016923+00:00',
          updated_at: '2026-11-27T04:25:48.016923+00:00',
        },
      ],
    },
  ],
  created_at: '2026-11-27T04:25:47.940371Z',
  updated_at: '2026-11-27T04:25:47.940371Z',
};

export const detail: Schemas['GroupDetail'] = {
  id: GROUP_ID,
  name: 'demo_coco',
  dataset_type: 'RAW',
  annotation_format: 'COCO',
  task_types: ['DETECTION'],
  modality: 'RGB',
  source_origin: null,
  description: 'Demo data',
  extra: {},
  created_at: '2026-11-27T04:25:47.940371Z',
  updated_at: '2026-11-27T04:25:47.940371Z',
  datasets: [
    {
      id: 'd7fdb188-dd6a-4053-92aa-6e94ed525e97',
      group_id: GROUP_ID,
      split: 'TRAIN',
      version: 'v1.0.0',
      annotation_format: 'COCO',
      annotation_format_overridden: false,
      storage_uri: 'raw/demo_coco/train/v1.0.0',
      status: 'READY',
      image_count: 120,
      class_count: 80,
      metadata: {},
      description: null,
      created_at: '2026-11-27T04:25:47.983476+00:00',
      updated_at: '2026-11-27T04:25:47.983476+00:00',
    },
  ],
};
