/**
 * Key mappings from the legacy bucket layouts to the consolidation bucket, exactly as the
 * running services read them. Every function returns the destination key in the consolidation
 * bucket, or undefined when the key is not ours to move (no user of the map owns it, it is
 * outside the layout, or it is already where it belongs).
 */
import type { IdMap } from '../idmap/types';
import { mapIdSegments, splitLeadingId, splitPrefixedLeadingId } from './idSegments';

/** Consolidation-bucket prefixes the services read (names-and-tables.md §3). */
export const CONSOLIDATION_PREFIX = {
  conversations: 'conversations/',
  codeInterpreter: 'codeInterpreter/',
  agentState: 'agentState/',
  shares: 'shares/',
  agentConversations: 'agentConversations/',
  dataDisclosure: 'dataDisclosure/',
  apiDocumentation: 'apiDocumentation/',
  powerPointTemplates: 'powerPointTemplates/',
  scheduledTaskLogs: 'scheduledTaskLogs/',
} as const;

export type UserPrefixName = 'conversations' | 'codeInterpreter' | 'agentState' | 'scheduledTaskLogs';

/**
 * A per-user legacy bucket (`{old}/{rest}`) → `{prefix}{new}/{rest}`. With the same id on
 * both sides the object still moves (`{id}/…` → `conversations/{id}/…`).
 */
export function userKeyToConsolidation(sourceKey: string, prefix: UserPrefixName, ids: IdMap): string | undefined {
  const found = splitLeadingId(sourceKey, ids);
  return found && `${CONSOLIDATION_PREFIX[prefix]}${found.newId}/${found.rest}`;
}

/**
 * Legacy "split state": an object already in the consolidation bucket under the old id
 * (`conversations/{old}/…`, written by the new code before the migration) →
 * `conversations/{new}/…`. Undefined when the id does not change: the object is already
 * where it belongs (the legacy self-copy that S3 rejects is not reproduced).
 */
export function splitStateKey(key: string, prefix: UserPrefixName, ids: IdMap): string | undefined {
  const found = splitPrefixedLeadingId(key, CONSOLIDATION_PREFIX[prefix], ids);
  if (!found || found.oldId === found.newId) return undefined;
  return `${CONSOLIDATION_PREFIX[prefix]}${found.newId}/${found.rest}`;
}

/**
 * A share path `{recipient}/{sharer}/{YYYY-MM-DD}/{uuid}.json` (state/share.py) with every
 * id in the `{recipient}/{sharer}` part mapped through the whole map. The last two
 * segments (date, file name) are never ids. Undefined when neither party is in the map.
 * The legacy applied only the current (old, new) pair to S3 keys but the whole map to the
 * DynamoDB pointers, so keys and pointers disagreed until every party was processed; one
 * function for both keeps them equal.
 */
export function mapSharePath(path: string, ids: IdMap): string | undefined {
  const parts = path.split('/');
  if (parts.length < 3) return undefined;
  const head = mapIdSegments(parts.slice(0, -2), ids);
  if (!head.matched) return undefined;
  return [...head.parts, ...parts.slice(-2)].join('/');
}

/** Legacy share bucket `{recipient}/{sharer}/…` → `shares/{recipient'}/{sharer'}/…`. */
export function shareKeyToConsolidation(sourceKey: string, ids: IdMap): string | undefined {
  const mapped = mapSharePath(sourceKey, ids);
  return mapped === undefined ? undefined : CONSOLIDATION_PREFIX.shares + mapped;
}

/** Split state of shares: consolidation `shares/{a}/{b}/…` still naming old ids → remapped. */
export function shareSplitStateKey(key: string, ids: IdMap): string | undefined {
  if (!key.startsWith(CONSOLIDATION_PREFIX.shares)) return undefined;
  const destination = shareKeyToConsolidation(key.slice(CONSOLIDATION_PREFIX.shares.length), ids);
  return destination === key ? undefined : destination;
}

/** Group-assistant conversations `astgp/{assistant}/{conversation}.txt` → `agentConversations/astgp/…`. */
export function groupConversationKey(sourceKey: string): string | undefined {
  return sourceKey.startsWith('astgp/') ? CONSOLIDATION_PREFIX.agentConversations + sourceKey : undefined;
}

/** Data disclosure storage: every key `K` → `dataDisclosure/K`. */
export function dataDisclosureKey(sourceKey: string): string {
  return CONSOLIDATION_PREFIX.dataDisclosure + sourceKey;
}

/** API documentation: every key `K` → `apiDocumentation/K`. */
export function apiDocumentationKey(sourceKey: string): string {
  return CONSOLIDATION_PREFIX.apiDocumentation + sourceKey;
}

/**
 * Conversion output `templates/{name}` → `powerPointTemplates/{name}`. Folder markers
 * (keys ending in `/`) and everything outside `templates/` are not moved (§1.3g).
 */
export function conversionTemplateKey(sourceKey: string): string | undefined {
  if (!sourceKey.startsWith('templates/') || sourceKey.endsWith('/')) return undefined;
  return CONSOLIDATION_PREFIX.powerPointTemplates + sourceKey.slice('templates/'.length);
}
