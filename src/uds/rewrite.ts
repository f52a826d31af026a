/**
 * Step 1: the id rewrite of an existing USER_DATA_STORAGE item, and
 * Step 2 (§6.3): the translation of an old basic-ops user-storage item.
 *
 * Differences from the legacy, on purpose (the services' formats are the contract, and nothing
 * is lost or overwritten silently):
 * - ids match exactly, as a whole `#`/`/` segment (never `startsWith`/substring: `bob`
 *   never touches `bobby`, and no chaining when a new id contains another old id);
 * - the user part of PK/appId matches the raw old id *or* its sanitised form (the service
 *   writes sanitised keys) and is written sanitised (the form the service reads);
 * - Step 2 applies the full Step 1 rewrite (SKs, `data.sharedBy`, `data.key`, malformed
 *   families), which the legacy skipped for copied items.
 * The writing side (transactional move, conditional put) is the caller's.
 */
import type { AttributeValue, Item } from '../dynamo/attributeValue';
import type { IdMap } from '../idmap/types';
import { mapEverySegment, mapLeadingSegment } from '../rules/tokens';
import type { Problem } from './item';
import { sanitizeAppId, sanitizeUserId } from './sanitize';
import { consolidatedShareKey, sharePath } from './shares';

export interface RewriteResult {
  item: Item;
  /** PK or SK changed: the item moves (a transactional put + delete for the caller). */
  keyChanged: boolean;
  /** Values that could not be mapped unambiguously (left unchanged). */
  problems: Problem[];
}

/** The malformed families (§6.1): `{user}#{old-dashed}-{app}#{entity}`. */
const MALFORMED_APPS: Record<string, string> = {
  'amplify-workflows': 'workflow-templates',
  'amplify-user-settings': 'user-settings',
  'amplify-artifacts': 'artifact-content',
  'amplify-agent-logs': 'scheduled-task-logs',
};
const MALFORMED_PK = /^(.*)#([A-Za-z0-9-]+)-(amplify-workflows|amplify-user-settings|amplify-artifacts|amplify-agent-logs)#([^#]+)$/;
const MALFORMED_APP_ID = /^(.*)#([A-Za-z0-9-]+)-(amplify-workflows|amplify-user-settings|amplify-artifacts|amplify-agent-logs)$/;

interface UdsIdIndex {
  /** raw old id or its sanitised form → the sanitised new id(s) (more than one: ambiguous). */
  userPart: Map<string, Set<string>>;
  /** the old id as the app sanitiser wrote it into malformed app parts → pairs */
  dashed: Map<string, Array<{ oldId: string; newId: string }>>;
}

const indexCache = new WeakMap<IdMap, UdsIdIndex>();

function indexFor(ids: IdMap): UdsIdIndex {
  let index = indexCache.get(ids);
  if (index) return index;
  index = { userPart: new Map(), dashed: new Map() };
  for (const pair of ids.pairs) {
    const target = sanitizeUserId(pair.newId);
    for (const form of new Set([pair.oldId, sanitizeUserId(pair.oldId)])) {
      const set = index.userPart.get(form) ?? new Set<string>();
      set.add(target);
      index.userPart.set(form, set);
    }
    // Step 1 of the legacy used `@`/`.` → `-`; the real entries came from the app sanitiser.
    for (const form of new Set([pair.oldId.replace(/[@.]/g, '-'), sanitizeAppId(pair.oldId)])) {
      const list = index.dashed.get(form) ?? [];
      list.push(pair);
      index.dashed.set(form, list);
    }
  }
  indexCache.set(ids, index);
  return index;
}

export function rewriteUserDataStorageItem(item: Item, ids: IdMap): RewriteResult {
  const index = indexFor(ids);
  const problems: Problem[] = [];
  const out: Item = { ...item };
  const pk = str(item.PK);
  const sk = str(item.SK);

  if (pk !== undefined) out.PK = { S: rewriteHashKey(pk, MALFORMED_PK, index, problems, true) };
  const appId = str(item.appId);
  if (appId !== undefined) out.appId = { S: rewriteHashKey(appId, MALFORMED_APP_ID, index, problems, false) };

  if (sk !== undefined && pk !== undefined) {
    let newSk = sk;
    if (pk.endsWith('#amplify-artifacts#artifact-content') && sk.startsWith('shared-with-')) {
      // The recipient in a shared-artifact SK is the raw id (the artifacts service does not sanitise it).
      newSk = `shared-with-${mapLeadingSegment(sk.slice('shared-with-'.length), '#', ids)}`;
    } else if (pk.includes('#amplify-shares#')) {
      newSk = mapLeadingSegment(sk, '#', ids);
    }
    out.SK = { S: newSk };
    // The service writes itemId as the SK (without a range suffix): a share's or a shared
    // artifact's itemId names the same user as its SK, so it follows the SK.
    const itemId = str(item.itemId);
    if (newSk !== sk && itemId === sk) out.itemId = { S: newSk };
  }

  const data = item.data;
  if (data && 'M' in data) {
    const isShare = str(item.entityType) === 'received' || (pk ?? '').includes('#amplify-shares#');
    const newData = rewriteShareData(data.M, ids, isShare);
    if (newData !== data.M) out.data = { M: newData };
  }

  const keyChanged = str(out.PK) !== pk || str(out.SK) !== sk;
  return { item: out, keyChanged, problems };
}

/**
 * Rewrites the user part of a PK (`{user}#{app}#{entity}`) or appId (`{user}#{app}`),
 * repairing the malformed families. Unchanged when no part is an old id.
 */
function rewriteHashKey(value: string, malformed: RegExp, index: UdsIdIndex, problems: Problem[], isPk: boolean): string {
  const m = malformed.exec(value);
  if (m) {
    const [, user, dashed, app, entity] = m;
    if (!isPk || MALFORMED_APPS[app] === entity) {
      const pair = (index.dashed.get(dashed) ?? []).find((p) =>
        [p.newId, sanitizeUserId(p.newId), p.oldId, sanitizeUserId(p.oldId)].includes(user),
      );
      if (pair) return [sanitizeUserId(pair.newId), app, ...(isPk ? [entity] : [])].join('#');
    }
  }
  // Longest candidate first: a raw id may itself contain '#'.
  let at = value.lastIndexOf('#');
  while (at > 0) {
    const candidate = value.slice(0, at);
    const targets = index.userPart.get(candidate);
    if (targets) {
      if (targets.size > 1) {
        problems.push({
          severity: 'error',
          code: 'ambiguous-id',
          subject: value,
          message: `"${candidate}" matches several old ids (${[...targets].join(', ')} after sanitising); left unchanged`,
        });
        return value;
      }
      return [...targets][0] + value.slice(at);
    }
    at = value.lastIndexOf('#', at - 1);
  }
  return value;
}

/**
 * `data.sharedBy` (exact id) and, on share items, `data.key` (segment-exact, re-pointed to
 * `shares/…`). Both the plain form and the double-encoded form left by the legacy CSV
 * import (`{M: {S: {S: v}}}`) are handled. Returns the input map when nothing changed.
 */
function rewriteShareData(data: Record<string, AttributeValue>, ids: IdMap, isShare: boolean): Record<string, AttributeValue> {
  let out = data;
  const set = (name: string, value: AttributeValue) => {
    if (out === data) out = { ...data };
    out[name] = value;
  };
  const sharedBy = readStringField(data.sharedBy);
  if (sharedBy) {
    const mapped = ids.lookup(sharedBy.value);
    if (mapped !== undefined && mapped !== sharedBy.value) set('sharedBy', sharedBy.write(mapped));
  }
  if (isShare) {
    const key = readStringField(data.key);
    if (key) {
      const remapped = mapEverySegment(sharePath(key.value), '/', ids);
      // Re-pointed only when an id changed; an untouched legacy-form key stays as it is.
      if (remapped !== sharePath(key.value)) set('key', key.write(consolidatedShareKey(key.value, ids)));
    }
  }
  // Fully double-encoded data (`data = {M: {M: {...}}}`): the fields live one level down.
  const inner = data.M;
  if (inner && 'M' in inner && out === data) {
    const rewritten = rewriteShareData(inner.M, ids, isShare);
    if (rewritten !== inner.M) set('M', { M: rewritten });
  }
  return out;
}

function readStringField(v: AttributeValue | undefined): { value: string; write(s: string): AttributeValue } | undefined {
  if (!v) return undefined;
  if ('S' in v) return { value: v.S, write: (s) => ({ S: s }) };
  // Double-encoded string: {M: {S: {S: value}}}
  if ('M' in v) {
    const keys = Object.keys(v.M);
    const inner = v.M.S;
    if (keys.length === 1 && inner && 'S' in inner) return { value: inner.S, write: (s) => ({ M: { S: { S: s } } }) };
  }
  return undefined;
}

function str(v: AttributeValue | undefined): string | undefined {
  return v && 'S' in v ? v.S : undefined;
}

/**
 * Step 2: an item of the old basic-ops user-storage table → the USER_DATA_STORAGE item.
 * The same id translation as Step 1, plus `itemId`, which the new service writes and the
 * old one did not: derived exactly as the service would have written it (SK without the
 * `#{rangeKey}` suffix). Everything else is kept as stored.
 */
export function translateOldUserStorageItem(oldItem: Item, ids: IdMap): Item {
  const { item } = rewriteUserDataStorageItem(oldItem, ids);
  const sk = str(item.SK);
  if (item.itemId === undefined && sk !== undefined) {
    const rangeKey = str(item.rangeKey);
    const itemId = rangeKey !== undefined && sk.endsWith(`#${rangeKey}`) ? sk.slice(0, sk.length - rangeKey.length - 1) : sk;
    item.itemId = { S: itemId };
  }
  return item;
}
