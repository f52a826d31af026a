/**
 * DynamoDB pointer attributes that name S3 objects, mapped from the legacy form to the form
 * the services read once the object is in its new home (consolidation bucket or
 * USER_DATA_STORAGE). The table rules call these only when ctx.pointersReady is true
 * (pointers move after their data, docs/decisions/0002-pointers-move-after-their-data.md).
 *
 * Each function is idempotent for maps without chains: a pointer already in the new form
 * comes back unchanged, so a re-run or a second pass converges. (With a chain or swap, a new
 * id that is also another row's old id, a second application maps again; the CSV validation
 * refuses such maps unless the operator insists.) A value that names no
 * user of the map is returned unchanged.
 */
import type { IdMap } from '../idmap/types';
import { splitLeadingId, splitPrefixedLeadingId } from './idSegments';
import { CONSOLIDATION_PREFIX, mapSharePath } from './keys';

/**
 * `{old}/{rest}` (legacy bucket) or `{prefix}{old}/{rest}` (split state) → `{prefix}{new}/{rest}`;
 * undefined when the pointer is in no mapped user's layout. The split-state form is tried
 * first: `conversations/{old}/…` is the consolidation layout.
 */
function userPointer(pointer: string, prefix: string, ids: IdMap): string | undefined {
  const found = splitPrefixedLeadingId(pointer, prefix, ids) ?? splitLeadingId(pointer, ids);
  return found && `${prefix}${found.newId}/${found.rest}`;
}

/**
 * CONVERSATION_METADATA_TABLE `s3_key`: `{old}/{conversationId}` →
 * `conversations/{new}/{conversationId}` (§9.5). The split-state form
 * `conversations/{old}/…`, which the legacy left stale, is rewritten too.
 */
export function conversationS3Key(s3Key: string, ids: IdMap): string {
  return userPointer(s3Key, CONSOLIDATION_PREFIX.conversations, ids) ?? s3Key;
}

export interface AgentStateMemoryPointer {
  /** Absent means "the consolidation bucket, agentState/ layout" to the agent loop. */
  bucket?: string;
  key?: string;
}

/**
 * AGENT_STATE_DYNAMODB_TABLE `memory.bucket` / `memory.key` (§9.1): a key `{old}/{rest}` or
 * `agentState/{old}/{rest}` becomes `agentState/{new}/{rest}` and the bucket is dropped
 * (its absence is how the agent loop recognises a migrated record). A key in no mapped
 * user's layout is left alone together with its bucket: unlike the legacy, which dropped
 * the bucket regardless, we never point a record at a consolidation object we did not copy.
 */
export function agentStateMemory(memory: AgentStateMemoryPointer, ids: IdMap): AgentStateMemoryPointer {
  if (memory.key === undefined) return memory;
  const key = userPointer(memory.key, CONSOLIDATION_PREFIX.agentState, ids);
  return key === undefined ? memory : { key };
}

/**
 * WORKFLOW_TEMPLATES_TABLE `s3Key` = `{user}/{templateId}.json` in the workflow-templates
 * bucket (§9.3). The content's new home is USER_DATA_STORAGE (keyed by user and templateId),
 * and the services treat a row without `s3Key` as migrated, so the new pointer is "absent":
 * undefined when the key belongs to a user of the map, else the key unchanged.
 */
export function workflowTemplateS3Key(s3Key: string, ids: IdMap): string | undefined {
  return splitLeadingId(s3Key, ids) ? undefined : s3Key;
}

/**
 * SCHEDULED_TASKS_TABLE `logs[].detailsKey` = `{user}/{taskId}/logs/{executionId}.json` in the
 * logs bucket (§1.3j). The logs' new home is the USER_DATA_STORAGE scheduled-task-logs item,
 * so the new pointer is "absent": undefined when the key belongs to a user of the map.
 */
export function scheduledTaskDetailsKey(detailsKey: string, ids: IdMap): string | undefined {
  return splitLeadingId(detailsKey, ids) ? undefined : detailsKey;
}

/**
 * SHARES_DYNAMODB_TABLE `data[].key` = `{recipient}/{sharer}/{date}/{uuid}.json` →
 * `shares/{recipient'}/{sharer'}/{date}/{uuid}.json`, both parties mapped through the whole
 * map, exactly like the object key (src/s3layout/keys.ts mapSharePath). A key already under
 * `shares/` has its ids mapped in place. Keys naming no user of the map are unchanged (their
 * object is not moved either); the legacy's substring replace for short keys is not kept.
 */
export function shareDataKey(key: string, ids: IdMap): string {
  const prefix = CONSOLIDATION_PREFIX.shares;
  const relative = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const mapped = mapSharePath(relative, ids);
  return mapped === undefined ? key : prefix + mapped;
}

/**
 * GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE `s3Location` (§9.6b):
 * `s3://{bucket}/astgp/{assistant}/{conversation}.txt` → the bare key
 * `agentConversations/astgp/…` the service reads. Other forms are unchanged.
 */
export function groupConversationLocation(s3Location: string): string {
  const match = /^s3:\/\/[^/]+\/(astgp\/.*)$/s.exec(s3Location);
  return match ? CONSOLIDATION_PREFIX.agentConversations + match[1] : s3Location;
}

/**
 * ARTIFACTS_DYNAMODB_TABLE `artifacts[].key` = `{owner}/{YYYYMMDD}/{name}:v{n}` → the
 * USER_DATA_STORAGE sort key `{YYYYMMDD}/{name}:v{n}` (§1.3k): the leading segment is
 * stripped only when it is the row's owner, under the old or the new id (the row may already
 * have moved to the new id on an earlier pass whose pointers were not ready). A key prefixed
 * with another user's id is left unchanged, as the legacy did.
 */
export function artifactKey(key: string, owner: string, ids: IdMap): string {
  const ownerNewId = ids.lookup(owner);
  // Per candidate segment run: the owner itself, the owner's new id, or an old id that maps
  // to the owner (the row already moved). Lookups only, no pass over the whole map.
  const isOwner = (candidate: string): boolean =>
    candidate === owner || candidate === ownerNewId || ids.lookup(candidate) === owner;
  let at = key.lastIndexOf('/');
  while (at > 0) {
    if (isOwner(key.slice(0, at))) return key.slice(at + 1);
    at = key.lastIndexOf('/', at - 1);
  }
  return key;
}

export interface DataDisclosurePointers {
  s3Reference: string;
  pdfId?: string;
}

/**
 * DATA_DISCLOSURE_VERSIONS_TABLE `s3_reference` / `pdf_id` (§10.1): a reference
 * `s3://{storage}/{K}` becomes `s3://{consolidation}/dataDisclosure/{K}` and `pdf_id` gets the
 * `dataDisclosure/` prefix unless it has it. Unlike the legacy, the new reference is built from
 * the object key K that was actually copied, not from pdf_id (they are equal in data the
 * service wrote; when they differ the legacy pointer dangled). With `storageBucket` given
 * only references into that bucket are rewritten; without it any bucket other than the
 * consolidation bucket counts as legacy. Undefined when the reference is not legacy.
 */
export function dataDisclosurePointers(
  current: DataDisclosurePointers,
  consolidationBucket: string,
  storageBucket?: string,
): DataDisclosurePointers | undefined {
  const match = /^s3:\/\/([^/]+)\/(.+)$/s.exec(current.s3Reference);
  if (!match) return undefined;
  const [, bucket, objectKey] = match;
  if (bucket === consolidationBucket || (storageBucket !== undefined && bucket !== storageBucket)) return undefined;
  const prefix = CONSOLIDATION_PREFIX.dataDisclosure;
  const out: DataDisclosurePointers = { s3Reference: `s3://${consolidationBucket}/${prefix}${objectKey}` };
  if (current.pdfId !== undefined) out.pdfId = current.pdfId.startsWith(prefix) ? current.pdfId : prefix + current.pdfId;
  return out;
}
