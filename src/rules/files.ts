/**
 * User files and their embedding bookkeeping (§8.20-§8.22). File ids
 * (`{user}/{date}/{uuid}.json`) are also RAG S3 keys and object-access object_ids; like the
 * legacy they keep the old id, so all three stay consistent.
 */
import { byIndex, byScan } from './finders';
import { rewriteAttributes, wholeId } from './rewrite';
import type { TableRule } from './types';

export const FILES_RULE: TableRule = {
  table: 'FILES_DYNAMO_TABLE',
  when: 'idChanged',
  // Range key id is always present, so this index reaches every file of the user.
  finder: byIndex('createdBy'),
  describe: 'createdBy and updatedBy → new ids, in place; id ({user}/{date}/{uuid}.json) deliberately kept',
  keyMayChange: false,
  othersReferenced: 'updatedBy (the last editor may be another user)',
  rewrite: rewriteAttributes({ createdBy: wholeId, updatedBy: wholeId }),
};

export const HASH_FILES_RULE: TableRule = {
  table: 'HASH_FILES_DYNAMO_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe: 'originalCreator → new id, in place; textLocationKey kept (points at existing text objects)',
  keyMayChange: false,
  rewrite: rewriteAttributes({ originalCreator: wholeId }),
};

export const EMBEDDING_PROGRESS_RULE: TableRule = {
  table: 'EMBEDDING_PROGRESS_TABLE',
  when: 'idChanged',
  finder: byScan,
  describe: 'originalCreator → new id, in place; object_id (the file key) kept',
  keyMayChange: false,
  rewrite: rewriteAttributes({ originalCreator: wholeId }),
};
