/**
 * Object-access service tables: permission grants (§8.7), groups (§8.10) and api keys
 * (§8.2).
 */
import type { AttributeValue } from '../dynamo/attributeValue';
import { byIndex, byScan } from './finders';
import { idKeyedMap, rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const OBJECT_ACCESS_RULE: TableRule = {
  table: 'OBJECT_ACCESS_DYNAMODB_TABLE',
  when: 'idChanged',
  finder: byIndex('PrincipalIdIndex'),
  describe: 'principal_id (range key) → new id (item moves); object_id kept (file keys keep the old id by design)',
  keyMayChange: true,
  rewrite: rewriteAttributes({ principal_id: wholeId }),
};

const PERMISSION_RANK: Readonly<Record<string, number>> = { read: 1, write: 2, admin: 3 };

/**
 * A user who is already a member under the new id keeps the stronger of the two permissions
 * (the legacy overwrote the new id's entry with the old one); unknown values keep the entry
 * already under the new id.
 */
export function mergeMemberPermission(existing: AttributeValue, moved: AttributeValue): AttributeValue {
  const rank = (v: AttributeValue) => ('S' in v ? PERMISSION_RANK[v.S.toLowerCase()] : undefined);
  const [a, b] = [rank(existing), rank(moved)];
  return a !== undefined && b !== undefined && b > a ? moved : existing;
}

export const ASSISTANT_GROUPS_RULE: TableRule = {
  table: 'ASSISTANT_GROUPS_DYNAMO_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe: 'createdBy → new id; members map {userId: permission}: keys → new ids (in place)',
  keyMayChange: false,
  rewrite: rewriteAttributes({ createdBy: wholeId, members: idKeyedMap(mergeMemberPermission) }),
};

export const API_KEYS_RULE: TableRule = {
  table: 'API_KEYS_DYNAMODB_TABLE',
  when: 'idChanged',
  // Only ApiKeyIndex (apiKey) exists: owner and delegate are reached by the scan.
  finder: byScan,
  describe: 'owner and delegate → new ids, in place; api_owner_id ({owner}/…Key/{uuid}) deliberately kept, as the legacy does',
  keyMayChange: false,
  rewrite: rewriteAttributes({ owner: wholeId, delegate: wholeId }),
};
