/**
 * GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE, key `conversationId`,
 * only GSI AssistantIdIndex: no index reaches a user's items, so one scan per run applies
 * the whole map (the legacy scanned the table once per user).
 * - `user` → new id, in place (the key does not embed the user).
 * - Pointer (only when ctx.pointersReady, i.e. the group-conversations bucket copy is
 *   verified): `s3Location` `s3://{bucket}/astgp/…` → `agentConversations/astgp/…` (a bare
 *   key, as the service reads it). The legacy rewrote these system-wide, unrelated to the
 *   user, after checking only the first scan page; the scan here sees every item.
 */
import { groupConversationLocation } from '../../s3layout/pointers';
import { byScan } from '../finders';
import { pointer, rewriteAttributes, wholeId } from '../rewrite';
import type { TableRule } from '../types';

export const GROUP_ASSISTANT_CONVERSATIONS_RULE: TableRule = {
  table: 'GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE',
  when: 'always',
  finder: byScan,
  describe: 'user → new id, in place; pointers: s3Location s3://{bucket}/astgp/… → agentConversations/astgp/…',
  keyMayChange: false,
  rewrite: rewriteAttributes({
    user: wholeId,
    s3Location: pointer(groupConversationLocation),
  }),
};
