/** Memory, common data and dynamic code tables (§8.27-§8.29). */
import { byIndex, byScan } from './finders';
import { leadingId, rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const MEMORY_RULE: TableRule = {
  table: 'MEMORY_DYNAMO_TABLE',
  when: 'idChanged',
  finder: byIndex('UserIndex'),
  describe:
    'user → new id; memory_type_id → new id only when it is an old user id (the legacy overwrote it unconditionally), in place',
  keyMayChange: false,
  rewrite: rewriteAttributes({ user: wholeId, memory_type_id: wholeId }),
};

export const COMMON_DATA_RULE: TableRule = {
  table: 'COMMON_DATA_DYNAMO_TABLE',
  when: 'idChanged',
  // PK = {user}#{entity}: a hash key cannot be queried by prefix, and there is no index.
  finder: byScan,
  describe: 'PK {user}#{entity}: leading user segment → new id (item moves); app_id → new id when it is an old id; SK kept',
  keyMayChange: true,
  rewrite: rewriteAttributes({ PK: leadingId('#'), app_id: wholeId }),
};

export const DYNAMIC_CODE_RULE: TableRule = {
  table: 'DYNAMO_DYNAMIC_CODE_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe: 'creator and mapped_by → new ids, in place',
  keyMayChange: false,
  rewrite: rewriteAttributes({ creator: wholeId, mapped_by: wholeId }),
};
