import { ApiError } from '@/api/client';
import { fieldOf, problemText } from '@/api/problem';

/** Where a failed call's problems go in a form: next to fields, or above the form. */
export interface PlacedProblems {
  byField: Map<string, string[]>;
  /** Problems no field can show (data errors at file locations, a server fault). */
  general: string[];
  title: string;
  detail: string;
}

/**
 * Places the problems of a failed call on a form. `fields` maps the API's field names (the first
 * segment of `$.storage_uri`) to the form's; `byCode` names the field of problems that carry
 * only a code (a 409 `VERSION_EXISTS` has no `errors` but is plainly about the version).
 * Only JSON paths are read as fields: a data error's location (`labels/0001.txt:3`) is not a
 * form field even when its first segment happens to spell one.
 */
export function placeProblems(
  error: unknown,
  fields: Record<string, string>,
  byCode: Record<string, string> = {},
): PlacedProblems {
  const { title, detail } = problemText(error);
  const byField = new Map<string, string[]>();
  const general: string[] = [];
  const add = (field: string, message: string) =>
    byField.set(field, [...(byField.get(field) ?? []), message]);
  const problem = error instanceof ApiError ? error.problem : undefined;
  for (const item of problem?.errors ?? []) {
    const field = item.field.startsWith('$') ? fields[fieldOf(item.field)] : undefined;
    if (field) {
      add(field, item.message);
    } else {
      general.push(item.field ? `${item.field}: ${item.message}` : item.message);
    }
  }
  if (problem && (problem.errors ?? []).length === 0) {
    const field = byCode[problem.code];
    if (field) {
      add(field, problem.detail ?? problem.title);
    }
  }
  return { byField, general, title, detail };
}
