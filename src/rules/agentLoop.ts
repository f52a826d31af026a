/** Agent-loop email settings (§8.19): the owner key plus other users' allowed-sender lists. */
import { byScan } from './finders';
import { idList, rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const EMAIL_SETTINGS_RULE: TableRule = {
  table: 'EMAIL_SETTINGS_DYNAMO_TABLE',
  when: 'idChanged',
  // Scan: allowedSenders of every user's rows may name a migrated user; no index reaches them.
  finder: byScan,
  describe:
    'email (hash key, range tag: the owning user) → new id (item moves); allowedSenders[] entries equal to an old id → new id (exact match, not the legacy substring replace)',
  keyMayChange: true,
  rewrite: rewriteAttributes({ email: wholeId, allowedSenders: idList() }),
};
