/**
 * Every S3 source the migration copies into the consolidation bucket, as data: which bucket
 * to list, how often, under which prefix, and where each key goes. The S3 activities read
 * this table; adding a layout is adding an entry and its unit test.
 *
 * Always pass the WHOLE id map to destinationKey, also for a per-user listing: a key is
 * owned by the longest old id that forms its leading segments, and an object of another
 * user in the map that happens to fall under the listed prefix (ids containing `/`) still
 * goes to that user's destination, never to the listed user's.
 *
 * Not here: the scheduled-task-log, artifact and workflow-template buckets, whose objects
 * become USER_DATA_STORAGE items (src/uds/), and the conversion input bucket, which the
 * legacy never migrates (only empties).
 */
import type { BucketKey, TableKey } from '../deployment/catalogue';
import type { IdMap } from '../idmap/types';
import {
  CONSOLIDATION_PREFIX,
  apiDocumentationKey,
  conversionTemplateKey,
  dataDisclosureKey,
  groupConversationKey,
  shareKeyToConsolidation,
  shareSplitStateKey,
  splitStateKey,
  userKeyToConsolidation,
} from './keys';

/**
 * perUser: listed once per user under the user's prefix.
 * wholeBucket: user data not under a per-user prefix; listed once per run, the whole map
 * applied to every key (never a listing of the whole bucket per user).
 * runWide: deployment-wide data with no user in the key; listed and copied once per run.
 */
export type S3Scope = 'perUser' | 'wholeBucket' | 'runWide';

export type S3SourceName =
  | 'agentState'
  | 'agentStateSplitState'
  | 'codeInterpreter'
  | 'codeInterpreterSplitState'
  | 'conversations'
  | 'conversationsSplitState'
  | 'groupConversations'
  | 'scheduledTaskLogsSplitState'
  | 'shares'
  | 'sharesSplitState'
  | 'dataDisclosure'
  | 'apiDocumentation'
  | 'conversionTemplates';

interface S3SourceCommon {
  name: S3SourceName;
  /** Config key of the bucket that is listed (the consolidation bucket itself for split state). */
  bucket: BucketKey;
  /** Every destination is in the consolidation bucket. */
  destinationBucket: 'S3_CONSOLIDATION_BUCKET_NAME';
  /** One line for the plan. */
  describe: string;
  /**
   * Tables whose pointer attributes point at this source's destinations: their pointers may move
   * only after these copies are verified (docs/decisions/0002-pointers-move-after-their-data.md).
   */
  pointerTables: readonly TableKey[];
  /** Pure: the destination key, or undefined for "not ours / nothing to do: skip". */
  destinationKey(sourceKey: string, ids: IdMap): string | undefined;
}

export interface PerUserS3Source extends S3SourceCommon {
  scope: 'perUser';
  /** The listing prefix for one user, from the user's OLD id. */
  userPrefix(oldId: string): string;
}

export interface BulkS3Source extends S3SourceCommon {
  scope: 'wholeBucket' | 'runWide';
  /** The listing prefix, the same for the whole run ('' = the whole bucket). */
  prefix: string;
}

export type S3Source = PerUserS3Source | BulkS3Source;

/** The listing prefix of a source: per user for perUser sources, fixed otherwise. */
export function listingPrefix(source: S3Source, oldId: string): string {
  return source.scope === 'perUser' ? source.userPrefix(oldId) : source.prefix;
}

const CONSOLIDATION = 'S3_CONSOLIDATION_BUCKET_NAME' satisfies BucketKey;

function perUserSources(
  name: 'agentState' | 'codeInterpreter' | 'conversations',
  bucket: BucketKey,
  pointerTables: readonly TableKey[],
): PerUserS3Source[] {
  const prefix = CONSOLIDATION_PREFIX[name];
  return [
    {
      name,
      scope: 'perUser',
      bucket,
      destinationBucket: CONSOLIDATION,
      describe: `{old}/… → ${prefix}{new}/…`,
      pointerTables,
      userPrefix: (oldId) => `${oldId}/`,
      destinationKey: (key, ids) => userKeyToConsolidation(key, name, ids),
    },
    {
      name: `${name}SplitState`,
      scope: 'perUser',
      bucket: CONSOLIDATION,
      destinationBucket: CONSOLIDATION,
      describe: `consolidation ${prefix}{old}/… → ${prefix}{new}/… (objects the new code wrote before the migration)`,
      pointerTables,
      userPrefix: (oldId) => `${prefix}${oldId}/`,
      destinationKey: (key, ids) => splitStateKey(key, name, ids),
    },
  ];
}

/** In the legacy §5.2 order of the ALWAYS block, then the run-wide steps (§10). */
export const S3_SOURCES: readonly S3Source[] = [
  ...perUserSources('agentState', 'AGENT_STATE_BUCKET', ['AGENT_STATE_DYNAMODB_TABLE']),
  // The code-interpreter table holds no S3 pointer (its id only embeds the user).
  ...perUserSources('codeInterpreter', 'ASSISTANTS_CODE_INTERPRETER_FILES_BUCKET_NAME', []),
  ...perUserSources('conversations', 'S3_CONVERSATIONS_BUCKET_NAME', ['CONVERSATION_METADATA_TABLE']),
  {
    name: 'groupConversations',
    scope: 'wholeBucket',
    bucket: 'S3_GROUP_ASSISTANT_CONVERSATIONS_BUCKET_NAME',
    destinationBucket: CONSOLIDATION,
    describe: 'astgp/{assistant}/{conversation}.txt → agentConversations/astgp/… (no user in the key)',
    pointerTables: ['GROUP_ASSISTANT_CONVERSATIONS_DYNAMO_TABLE'],
    prefix: 'astgp/',
    destinationKey: (key) => groupConversationKey(key),
  },
  {
    // Archives the runtime wrote for logs over 350 KB (§1.3j step 1); the logs bucket
    // itself becomes USER_DATA_STORAGE items (src/uds/).
    name: 'scheduledTaskLogsSplitState',
    scope: 'perUser',
    bucket: CONSOLIDATION,
    destinationBucket: CONSOLIDATION,
    describe: 'consolidation scheduledTaskLogs/{old}/… → scheduledTaskLogs/{new}/…',
    pointerTables: [],
    userPrefix: (oldId) => `${CONSOLIDATION_PREFIX.scheduledTaskLogs}${oldId}/`,
    destinationKey: (key, ids) => splitStateKey(key, 'scheduledTaskLogs', ids),
  },
  {
    name: 'shares',
    scope: 'wholeBucket',
    bucket: 'S3_SHARE_BUCKET_NAME',
    destinationBucket: CONSOLIDATION,
    describe: '{recipient}/{sharer}/{date}/{uuid}.json → shares/{recipient\'}/{sharer\'}/… (both parties mapped)',
    pointerTables: ['SHARES_DYNAMODB_TABLE'],
    prefix: '',
    destinationKey: (key, ids) => shareKeyToConsolidation(key, ids),
  },
  {
    name: 'sharesSplitState',
    scope: 'wholeBucket',
    bucket: CONSOLIDATION,
    destinationBucket: CONSOLIDATION,
    describe: 'consolidation shares/{recipient}/{sharer}/… still naming old ids → remapped',
    pointerTables: ['SHARES_DYNAMODB_TABLE'],
    prefix: CONSOLIDATION_PREFIX.shares,
    destinationKey: (key, ids) => shareSplitStateKey(key, ids),
  },
  {
    name: 'dataDisclosure',
    scope: 'runWide',
    bucket: 'DATA_DISCLOSURE_STORAGE_BUCKET',
    destinationBucket: CONSOLIDATION,
    describe: 'K → dataDisclosure/K',
    pointerTables: ['DATA_DISCLOSURE_VERSIONS_TABLE'],
    prefix: '',
    destinationKey: (key) => dataDisclosureKey(key),
  },
  {
    name: 'apiDocumentation',
    scope: 'runWide',
    bucket: 'S3_API_DOCUMENTATION_BUCKET',
    destinationBucket: CONSOLIDATION,
    describe: 'K → apiDocumentation/K',
    pointerTables: [],
    prefix: '',
    destinationKey: (key) => apiDocumentationKey(key),
  },
  {
    name: 'conversionTemplates',
    scope: 'runWide',
    bucket: 'S3_CONVERSION_OUTPUT_BUCKET_NAME',
    destinationBucket: CONSOLIDATION,
    describe: 'templates/{name} → powerPointTemplates/{name} (folder markers skipped; the rest of the bucket is not migrated)',
    pointerTables: [],
    prefix: 'templates/',
    destinationKey: (key) => conversionTemplateKey(key),
  },
];

export function s3Source(name: S3SourceName): S3Source {
  const source = S3_SOURCES.find((s) => s.name === name);
  if (!source) throw new Error(`unknown S3 source ${name}`);
  return source;
}
