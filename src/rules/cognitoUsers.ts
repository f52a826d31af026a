/**
 * cognito-users: the per-user gate of the legacy, run for every pair.
 * With the same id on both sides the rewrite is a no-op, so the record stays where it is
 * (the legacy put+delete of the same key deleted it, §12.4 item 1).
 */
import { byPartitionKey } from './finders';
import { rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const COGNITO_USERS_RULE: TableRule = {
  table: 'COGNITO_USERS_DYNAMODB_TABLE',
  when: 'always',
  finder: byPartitionKey,
  describe: 'user_id (hash key) → new id; every other attribute (email, username ...) copied unchanged',
  keyMayChange: true,
  rewrite: rewriteAttributes({ user_id: wholeId }),
};
