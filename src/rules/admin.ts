/**
 * Admin configs (§8.5): global documents keyed by config_id whose `data` holds user ids.
 * Read once per run (a scan of this small table) and rewritten with the whole map, instead of
 * three read-modify-writes per user. Fixes §12.4 item 12: list order is kept, other attributes
 * (last_updated ...) are kept, and lists are only de-duplicated when a mapped id collides.
 */
import { getString, type Item } from '../dynamo/attributeValue';
import { byScan } from './finders';
import { eachMapValue, fields, idList, rewriteAttributes, wholeId } from './rewrite';
import type { RewriteContext, TableRule } from './types';

const userIdList = idList({ dedupe: true });

/** config_id → how its `data` holds ids; the configs the legacy migrates, with their shapes. */
const ADMIN_CONFIG_DATA = new Map([
  ['admins', rewriteAttributes({ data: userIdList })],
  [
    'amplifyGroups',
    rewriteAttributes({ data: eachMapValue(fields({ members: userIdList, createdBy: wholeId })) }),
  ],
  ['featureFlags', rewriteAttributes({ data: eachMapValue(fields({ userExceptions: userIdList })) })],
]);

export const AMPLIFY_ADMIN_RULE: TableRule = {
  table: 'AMPLIFY_ADMIN_DYNAMODB_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe:
    'admins: data[]; amplifyGroups: data.<group>.members[] and .createdBy; featureFlags: data.<flag>.userExceptions[] → new ids, in place, order kept; other configs untouched',
  keyMayChange: false,
  rewrite(item: Item, ctx: RewriteContext): Item {
    const rewrite = ADMIN_CONFIG_DATA.get(getString(item, 'config_id') ?? '');
    return rewrite ? rewrite(item, ctx) : item;
  },
};
