import type { components } from './schema';

/**
 * Query keys by API resource, shared by every feature: two pages showing one resource share its
 * cache entry, and a mutation anywhere invalidates every view of what it changed (registering a
 * dataset refreshes the list, the group page and the wizard's source candidates alike).
 *
 * A key names one query function and so one cached shape: a resource that several features read
 * is fetched by one module here in `src/api/` (groups.ts, manipulators.ts), never by a copy per
 * feature that might unwrap the response differently under the same key.
 */
export const resourceKeys = {
  /** Every group query: lists, details, next versions. */
  groups: ['dataset-groups'] as const,
  groupLists: ['dataset-groups', 'list'] as const,
  group: (id: string) => ['dataset-groups', 'detail', id] as const,
  nextVersion: (groupId: string, split: components['schemas']['Split']) =>
    ['dataset-groups', 'detail', groupId, 'next-version', split] as const,
  /** Every dataset-version query: lists, lineage. */
  datasets: ['datasets'] as const,
  executions: ['pipelines'] as const,
  /** The catalog, as `Manipulator[]` (manipulators.ts). */
  manipulators: ['manipulators'] as const,
  health: ['health'] as const,
};
