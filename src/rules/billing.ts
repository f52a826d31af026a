/**
 * Usage and billing tables (§8.15, §8.16, §8.23, §8.24). Keys embed the user as `#` or `/`
 * segments; only whole segments are mapped, so another user whose id merely begins with an
 * old id keeps his rows (the legacy prefix scans deleted them, §12.4 item 1).
 */
import { byIndex, byPartitionKey, byScan } from './finders';
import { everySegmentId, firstMatching, leadingId, rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const CHAT_USAGE_RULE: TableRule = {
  table: 'CHAT_USAGE_DYNAMO_TABLE',
  when: 'idChanged',
  // Range key `time` is written with every usage record, so the index reaches them all.
  finder: byIndex('UserUsageTimeIndex'),
  describe: 'user → new id, in place (key id is a uuid)',
  keyMayChange: false,
  rewrite: rewriteAttributes({ user: wholeId }),
};

export const COST_CALCULATIONS_RULE: TableRule = {
  table: 'COST_CALCULATIONS_DYNAMO_TABLE',
  when: 'idChanged',
  // The hash key is the user id: a query, not the legacy's filtered scan.
  finder: byPartitionKey,
  describe: 'id (hash key = user id, range accountInfo) → new id (item moves)',
  keyMayChange: true,
  rewrite: rewriteAttributes({ id: wholeId }),
};

export const HISTORY_COST_CALCULATIONS_RULE: TableRule = {
  table: 'HISTORY_COST_CALCULATIONS_DYNAMO_TABLE',
  when: 'idChanged',
  // userDate = {user}#{date}: no key or index can be queried by the user part alone.
  finder: byScan,
  describe: 'userDate {user}#{date} (hash key): leading user segment → new id (item moves)',
  keyMayChange: true,
  rewrite: rewriteAttributes({ userDate: leadingId('#') }),
};

/**
 * Additional-charge ids come in two forms: `{user}#{itemType}#{requestId}` (only the leading
 * segment is a user) and `{user}/thr/{uuid}/{user}/ast/{uuid}` (thread key + assistant key,
 * each led by a user, possibly two different users).
 */
const additionalChargeId = firstMatching(leadingId('#'), everySegmentId('/'));

export const ADDITIONAL_CHARGES_RULE: TableRule = {
  table: 'ADDITIONAL_CHARGES_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe:
    'user → new id; id ({user}#{type}#{request} leading segment, or the user segments of {threadKey}/{assistantKey}) → new ids (item moves)',
  keyMayChange: true,
  rewrite: rewriteAttributes({ user: wholeId, id: additionalChargeId }),
};
