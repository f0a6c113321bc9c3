import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router-dom';

// Helpers for this feature's component tests (not a test file itself).

export type Handler = (request: Request, url: URL) => Response | undefined;

export function json(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

/** The `fetch` the API client calls: the first handler that answers wins, else a 404 problem. */
export function routeFetch(handlers: Handler[]) {
  return async (input: RequestInfo | URL): Promise<Response> => {
    const request = input instanceof Request ? input : new Request(input);
    const url = new URL(request.url);
    for (const handler of handlers) {
      const response = handler(request, url);
      if (response) {
        return response;
      }
    }
    return new Response(
      JSON.stringify({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        code: 'NOT_FOUND',
        detail: `no stub for ${request.method} ${url.pathname}`,
      }),
      { status: 404, headers: { 'Content-Type': 'application/problem+json' } },
    );
  };
}

/** `GET path` answers `body`. */
export const get =
  (path: string, body: () => unknown): Handler =>
  (request, url) =>
    request.method === 'GET' && url.pathname === path ? json(body()) : undefined;

export function renderPage(element: ReactElement) {
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={queryClient}>
      <MemoryRouter>{element}</MemoryRouter>
    </QueryClientProvider>,
  );
}
