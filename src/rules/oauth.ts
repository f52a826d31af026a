/** The assistants-api oauth tables (§8.4, §8.25); neither has an index on the user. */
import { byScan } from './finders';
import { leadingId, rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const OAUTH_STATE_RULE: TableRule = {
  table: 'OAUTH_STATE_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe: 'user → new id, in place (key state, ttl kept)',
  keyMayChange: false,
  rewrite: rewriteAttributes({ user: wholeId }),
};

export const OAUTH_USER_RULE: TableRule = {
  table: 'OAUTH_USER_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe: 'user_integration {user}/{provider} (hash key): leading user segment → new id (item moves); integrations map kept',
  keyMayChange: true,
  rewrite: rewriteAttributes({ user_integration: leadingId('/') }),
};
