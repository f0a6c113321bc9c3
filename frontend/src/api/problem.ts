import { ApiError } from './client';

/** The title and detail an error toast shows. */
export function problemText(error: unknown): { title: string; detail: string } {
  if (error instanceof ApiError) {
    if (error.problem) {
      return {
        title: error.problem.title,
        detail: error.problem.detail ?? error.problem.code,
      };
    }
    return { title: 'Request failed', detail: error.message };
  }
  return {
    title: 'Something went wrong',
    detail: error instanceof Error ? error.message : String(error),
  };
}

/**
 * A JSON path or parameter name from a problem (`$.storage_uri`, `$.task_types[0]`, `split`) as
 * the form field it names (`storage_uri`, `task_types`). Paths into nested objects keep their
 * first segment, which is the form field the user can correct.
 */
export function fieldOf(path: string): string {
  const bare = path.startsWith('$.') ? path.slice(2) : path.startsWith('$') ? path.slice(1) : path;
  const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(bare);
  return match ? match[0] : bare;
}

/** Problems of a failed call grouped by form field; the rest (no matching field) under `''`. */
export function fieldErrors(error: unknown, fields: readonly string[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  if (!(error instanceof ApiError) || !error.problem?.errors) {
    return byField;
  }
  for (const problem of error.problem.errors) {
    const field = fieldOf(problem.field);
    const key = fields.includes(field) ? field : '';
    const message = key === '' ? `${problem.field}: ${problem.message}` : problem.message;
    byField.set(key, [...(byField.get(key) ?? []), message]);
  }
  return byField;
}
