import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

/** The API's types, generated from proto-schemas/openapi.json. */
export type Schemas = components['schemas'];
export type Problem = Schemas['Problem'];

/**
 * The typed client. Paths in the schema already start with `/api/v1`, and the GUI is always
 * served from the gateway's origin (or proxied to it by `vite`), so the base URL is the page's.
 */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
});

/** A failed call: the RFC 9457 problem when the server sent one, a readable message always. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem ? [problem.title, problem.detail].filter(Boolean).join(': ') : fallback);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }
}

function isProblem(value: unknown): value is Problem {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { title?: unknown }).title === 'string' &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/**
 * Resolves to the response body, or throws an {@link ApiError}. Every endpoint module goes
 * through this so that error toasts and form field errors see one shape.
 */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let result: Result<T>;
  try {
    result = await call;
  } catch (cause) {
    throw new ApiError(
      0,
      undefined,
      `The Datamill API did not answer (${cause instanceof Error ? cause.message : String(cause)})`,
    );
  }
  if (result.response.ok) {
    return result.data as T;
  }
  const { status, statusText } = result.response;
  throw new ApiError(
    status,
    isProblem(result.error) ? result.error : undefined,
    `${status} ${statusText || 'error'}`,
  );
}
