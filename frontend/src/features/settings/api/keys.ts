import { resourceKeys } from '@/api/queryKeys';

/** Query keys of the settings feature. */
export const settingsKeys = {
  health: resourceKeys.health,
  /** `GET /system/status`: workers, queues and the database. */
  systemStatus: ['system', 'status'] as const,
};
