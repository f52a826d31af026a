/**
 * SHARES_DYNAMODB_TABLE, key `id` = `{user}/{uuid}`, GSI UserIndex
 * (user): one legacy record per recipient, `data[]` = `{sharedBy, sharedAt, note, key}`,
 * optional `settings`.
 *
 * The legacy converted every entry (and `settings`) into USER_DATA_STORAGE items and then
 * DELETED the record, even when some entries failed. The conversion is src/uds/'s job; this
 * rule never deletes: it keeps the record, with its ids mapped, as the source of that
 * conversion until the approved cleanup phase, so nothing is lost:
 * - `id` (hash key): leading user id → new id; the record moves.
 * - `user` and `data[].sharedBy` → mapped through the whole map.
 * - Pointer (only when ctx.pointersReady): `data[].key`
 *   `{recipient}/{sharer}/{date}/{uuid}.json` → `shares/{recipient'}/{sharer'}/…`, the same
 *   mapping as the object key, so pointer and object agree.
 * `name` (`/state/share`), `note`, `sharedAt` and `settings` are kept as they are.
 */
import { shareDataKey } from '../../s3layout/pointers';
import { byIndex } from '../finders';
import { eachElement, fields, leadingId, pointer, rewriteAttributes, wholeId } from '../rewrite';
import type { TableRule } from '../types';

export const SHARES_RULE: TableRule = {
  table: 'SHARES_DYNAMODB_TABLE',
  when: 'always',
  finder: byIndex('UserIndex'),
  describe:
    'id ({user}/{uuid}, hash key) leading user → new id; user, data[].sharedBy → new ids; pointers: data[].key → shares/{recipient}/{sharer}/…; record kept (converted to USER_DATA_STORAGE by the uds step)',
  keyMayChange: true,
  othersReferenced: 'data[].sharedBy and the sharer segment of data[].key (pointer: moves after the share bucket copy is verified)',
  rewrite: rewriteAttributes({
    id: leadingId('/'),
    user: wholeId,
    data: eachElement(fields({ sharedBy: wholeId, key: pointer((key, ctx) => shareDataKey(key, ctx.ids)) })),
  }),
};
