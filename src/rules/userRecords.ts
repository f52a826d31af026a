/**
 * Per-user records whose only id is the `user` attribute (§8.1, §8.3, §8.6, §8.17, §8.18,
 * §8.26): either the hash key itself (the item moves to the new key) or a plain attribute
 * reached through a user GSI (updated in place).
 */
import { byIndex, byPartitionKey } from './finders';
import { rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

const userIsTheKey = rewriteAttributes({ user: wholeId });

export const ACCOUNTS_RULE: TableRule = {
  table: 'ACCOUNTS_DYNAMO_TABLE',
  when: 'idChanged',
  finder: byPartitionKey,
  describe: 'user (hash key) → new id; the accounts list is kept as it is',
  keyMayChange: true,
  rewrite: userIsTheKey,
};

export const OPS_RULE: TableRule = {
  table: 'OPS_DYNAMODB_TABLE',
  when: 'idChanged',
  finder: byPartitionKey,
  describe: 'user (hash key, range tag) → new id',
  keyMayChange: true,
  rewrite: userIsTheKey,
};

export const AGENT_EVENT_TEMPLATES_RULE: TableRule = {
  table: 'AGENT_EVENT_TEMPLATES_DYNAMODB_TABLE',
  when: 'idChanged',
  finder: byPartitionKey,
  describe: 'user (hash key, range tag) → new id; template content not inspected',
  keyMayChange: true,
  rewrite: userIsTheKey,
};

export const DATA_DISCLOSURE_ACCEPTANCE_RULE: TableRule = {
  table: 'DATA_DISCLOSURE_ACCEPTANCE_TABLE',
  when: 'idChanged',
  finder: byPartitionKey,
  describe: 'user (hash key) → new id; an acceptance already recorded under the new id is a conflict, not overwritten',
  keyMayChange: true,
  rewrite: userIsTheKey,
};

export const DB_CONNECTIONS_RULE: TableRule = {
  table: 'DB_CONNECTIONS_TABLE',
  when: 'idChanged',
  finder: byIndex('UserIndex'),
  describe: 'user → new id, in place (key id is a uuid)',
  keyMayChange: false,
  rewrite: userIsTheKey,
};

export const USER_TAGS_RULE: TableRule = {
  table: 'USER_TAGS_DYNAMO_TABLE',
  when: 'idChanged',
  finder: byPartitionKey,
  describe: 'user (hash key) → new id; an existing tags item under the new id is a conflict, not overwritten',
  keyMayChange: true,
  rewrite: userIsTheKey,
};
