/**
 * The assistants service tables (§8.8, §8.9, §8.11-§8.14). Composite keys carry the user
 * as their leading `/` segment (`{user}/thr/{uuid}`); the rewrite maps that exact segment,
 * so an id that only starts like an old id is never touched (§12.4: the legacy prefix
 * checks left such items unchanged and then deleted them).
 */
import { byIndex, byPartitionKey, byScan } from './finders';
import { eachElement, fields, idList, leadingId, rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const ASSISTANTS_ALIASES_RULE: TableRule = {
  table: 'ASSISTANTS_ALIASES_DYNAMODB_TABLE',
  when: 'idChanged',
  finder: byPartitionKey,
  describe: 'user (hash key, range assistantId) → new id; nested data untouched',
  keyMayChange: true,
  rewrite: rewriteAttributes({ user: wholeId }),
};

export const ASSISTANTS_RULE: TableRule = {
  table: 'ASSISTANTS_DYNAMODB_TABLE',
  when: 'idChanged',
  // UserIndex, not the legacy UserNameIndex, which misses assistants without a name (§12.4 item 13).
  finder: byIndex('UserIndex'),
  describe: 'user → new id, in place; id, assistantId (astp/…) and data untouched',
  keyMayChange: false,
  rewrite: rewriteAttributes({ user: wholeId }),
};

export const ASSISTANT_LOOKUP_RULE: TableRule = {
  table: 'ASSISTANT_LOOKUP_DYNAMODB_TABLE',
  when: 'idChanged',
  // Scan: users also appear in accessTo.users and pathHistory of paths they did not create,
  // which the legacy's createdBy filter missed (§12.4 item 14); no index reaches those.
  finder: byScan,
  describe: 'createdBy, accessTo.users[] (order kept) and pathHistory[].changedBy → new ids, in place; accessTo.amplifyGroups untouched',
  keyMayChange: false,
  rewrite: rewriteAttributes({
    createdBy: wholeId,
    accessTo: fields({ users: idList() }),
    pathHistory: eachElement(fields({ changedBy: wholeId })),
  }),
};

export const LAYERED_ASSISTANTS_RULE: TableRule = {
  table: 'LAYERED_ASSISTANTS_DYNAMODB_TABLE',
  when: 'idChanged',
  // The index the legacy (HEAD) uses and the service lists a user's layered assistants by;
  // its range key updatedAt is written with every layered assistant.
  finder: byIndex('CreatedByIndex'),
  describe: 'createdBy → new id, in place (group layered assistants astgr/… only when created by the user)',
  keyMayChange: false,
  rewrite: rewriteAttributes({ createdBy: wholeId }),
};

export const ASSISTANT_THREADS_RULE: TableRule = {
  table: 'ASSISTANT_THREADS_DYNAMODB_TABLE',
  when: 'idChanged',
  finder: byIndex('UserIndex'),
  describe: 'user → new id; id {user}/thr/{uuid}: leading user segment → new id (item moves)',
  keyMayChange: true,
  rewrite: rewriteAttributes({ user: wholeId, id: leadingId('/') }),
};

export const ASSISTANT_THREAD_RUNS_RULE: TableRule = {
  table: 'ASSISTANT_THREAD_RUNS_DYNAMODB_TABLE',
  when: 'idChanged',
  finder: byIndex('UserIndex'),
  describe:
    'user → new id; leading user segment of id ({user}/run/…, item moves), assistant_key ({user}/ast/…) and thread_key ({user}/thr/…) → new id',
  keyMayChange: true,
  othersReferenced: 'assistant_key ({owner}/ast/…: a run may use another user\'s assistant)',
  rewrite: rewriteAttributes({
    user: wholeId,
    id: leadingId('/'),
    assistant_key: leadingId('/'),
    thread_key: leadingId('/'),
  }),
};
