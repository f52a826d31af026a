/**
 * SCHEDULED_TASKS_TABLE, key `user` + `taskId`,
 * `logs[]` = `{executionId, executedAt, status, source, detailsKey}`.
 * - `user` (hash key) → new id: the row moves.
 * - Pointer (only when ctx.pointersReady, i.e. the task's logs are verified in the
 *   USER_DATA_STORAGE scheduled-task-logs item, src/uds/): `logs[].detailsKey` is removed;
 *   the service then reads the logs from USER_DATA_STORAGE. The legacy deleted the log
 *   objects (and, in its orphan cleanup, every log under the old id, including logs whose
 *   consolidation failed); here the objects stay until the approved cleanup and a row keeps
 *   its detailsKeys until its logs are verified.
 */
import { scheduledTaskDetailsKey } from '../../s3layout/pointers';
import { byPartitionKey } from '../finders';
import { eachElement, fields, pointer, rewriteAttributes, wholeId } from '../rewrite';
import type { TableRule } from '../types';

export const SCHEDULED_TASKS_RULE: TableRule = {
  table: 'SCHEDULED_TASKS_TABLE',
  when: 'always',
  finder: byPartitionKey,
  describe: 'user (hash key) → new id; pointers: logs[].detailsKey removed (logs in USER_DATA_STORAGE)',
  keyMayChange: true,
  rewrite: rewriteAttributes({
    user: wholeId,
    // The new pointer is "absent": scheduledTaskDetailsKey's undefined removes detailsKey.
    logs: eachElement(fields({ detailsKey: pointer((key, ctx) => scheduledTaskDetailsKey(key, ctx.ids)) })),
  }),
};
