/**
 * Verified copies of many objects: a listed prefix mapped by a pure destinationKey function,
 * an explicit key list mapped the same way, or explicit {source, destination} pairs.
 * Bounded parallelism, counters instead of per-object results (they must fit a Temporal
 * payload), and a resume cursor reported after every fully finished page or chunk.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { LedgerSink } from '../../src/ledger/types';
import { copyVerified, type CopyRuntime, type CopySettings, type ListedObject } from './copy';
import { CopyLedger } from './copyLedger';
import { Tally, type CopyTotals } from './copyTally';
import { freeDestinations } from './destinationListing';
import { describeError, type S3Deps } from './objects';
import { mapWithConcurrency } from '../concurrency';

export { emptyTotals, type CopyIssue, type CopyTotals } from './copyTally';

/** Maps a source key to its destination key; undefined leaves the object alone. Must be pure. */
export type DestinationKeyFn = (sourceKey: string) => string | undefined;

export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_MAX_REPORTED = 50;
const DEFAULT_CHUNK_SIZE = 100;

interface BatchCommon extends CopySettings {
  sourceBucket: string;
  destBucket: string;
  /** Copies in flight at once. Default 8. */
  concurrency?: number;
  /** Cap on the conflicts and failures listed (counts are exact). Default 50. */
  maxReported?: number;
  /** Totals carried over from an earlier, interrupted attempt (the resume continues counting). */
  initialTotals?: CopyTotals;
  /** The run's ledger (issue 12): a page's copies are recorded as intents before they are made. Absent: none. */
  ledger?: LedgerSink;
}

export interface CopyPrefixRequest extends BatchCommon {
  prefix: string;
  destinationKey: DestinationKeyFn;
  /** Resume cursor: list only keys after this one (the last key of the last finished page). */
  startAfter?: string;
  /** ListObjectsV2 MaxKeys. Default 1000. */
  pageSize?: number;
  onProgress?: (progress: { cursor: string; totals: CopyTotals }) => void | Promise<void>;
}

export interface CopyPrefixResult extends CopyTotals {
  dryRun: boolean;
  /** The last key of the last finished page (resume point), if any page was listed. */
  cursor?: string;
}

interface Entry {
  source: string;
  destination: string | undefined;
  /** What the listing said of the source (absent for explicit key and pair lists). */
  listed?: ListedObject;
}

function mapEntry(source: string, destinationKey: DestinationKeyFn, tally: Tally, listed?: ListedObject): Entry | undefined {
  try {
    return { source, destination: destinationKey(source), listed };
  } catch (err) {
    // A mapping that throws on one key is that key's failure, not the whole batch's.
    tally.mappingFailed(source, `destinationKey threw: ${describeError(err)}`);
    return undefined;
  }
}

async function copyEntries(deps: S3Deps, request: BatchCommon, entries: readonly Entry[], tally: Tally, runtime: CopyRuntime): Promise<void> {
  const ledger = new CopyLedger(request.dryRun ? undefined : request.ledger, request.sourceBucket, request.destBucket);
  await ledger.ahead(entries);
  // A dry run learns which destinations are free from one listing of the page's, not a HEAD each.
  const planned = request.dryRun ? entries.flatMap((e) => (e.listed && e.destination !== undefined ? [e.destination] : [])) : [];
  const free = planned.length > 0 ? await freeDestinations(deps, request.destBucket, planned, runtime.abortSignal) : new Set<string>();
  await mapWithConcurrency(
    entries,
    request.concurrency ?? DEFAULT_CONCURRENCY,
    async ({ source, destination, listed }) => {
      if (destination === undefined) {
        tally.unmapped();
        return;
      }
      const result = await copyVerified(
        deps,
        {
          sourceBucket: request.sourceBucket,
          sourceKey: source,
          destBucket: request.destBucket,
          destKey: destination,
          multipartThresholdBytes: request.multipartThresholdBytes,
          partSizeBytes: request.partSizeBytes,
          verifyStreamLimitBytes: request.verifyStreamLimitBytes,
          dryRun: request.dryRun,
          listed,
          destinationFree: free.has(destination) || undefined,
        },
        runtime,
      );
      tally.add({ source, destination }, result);
      ledger.settle(destination, result);
      runtime.onLiveness?.();
    },
    runtime.abortSignal,
  );
  await ledger.flush();
}

/**
 * Lists `prefix` page by page and copies every mapped object. Each page is requested with
 * StartAfter = the previous page's last key rather than a ContinuationToken: a key is a
 * cursor that stays valid across process restarts and can be persisted in a heartbeat.
 */
export async function copyPrefix(deps: S3Deps, request: CopyPrefixRequest, runtime: CopyRuntime = {}): Promise<CopyPrefixResult> {
  const tally = new Tally(request.initialTotals, request.maxReported ?? DEFAULT_MAX_REPORTED);
  let cursor = request.startAfter;
  for (;;) {
    const page = await deps.s3.send(
      new ListObjectsV2Command({
        Bucket: request.sourceBucket,
        Prefix: request.prefix,
        StartAfter: cursor || undefined,
        MaxKeys: request.pageSize ?? 1000,
      }),
      { abortSignal: runtime.abortSignal },
    );
    const objects = (page.Contents ?? []).filter((o): o is typeof o & { Key: string } => typeof o.Key === 'string');
    if (objects.length === 0) break;
    const keys = objects.map((o) => o.Key);
    const entries = objects
      .map((o) => mapEntry(o.Key, request.destinationKey, tally, { size: o.Size ?? 0, etag: o.ETag, storageClass: o.StorageClass }))
      .filter((e): e is Entry => e !== undefined);
    await copyEntries(deps, request, entries, tally, runtime);
    cursor = keys[keys.length - 1];
    await request.onProgress?.({ cursor, totals: tally.snapshot() });
    if (!page.IsTruncated) break;
  }
  return { ...tally.snapshot(), dryRun: Boolean(request.dryRun), cursor };
}

export interface CopyPair {
  source: string;
  destination: string;
}

interface ListCommon extends BatchCommon {
  /** Resume cursor: the index of the first entry not yet finished. */
  startIndex?: number;
  /** Entries finished between progress reports. Default 100. */
  chunkSize?: number;
  onProgress?: (progress: { cursor: number; totals: CopyTotals }) => void | Promise<void>;
}

export interface CopyPairsRequest extends ListCommon {
  pairs: readonly CopyPair[];
}

export interface CopyKeysRequest extends ListCommon {
  keys: readonly string[];
  destinationKey: DestinationKeyFn;
}

export interface CopyListResult extends CopyTotals {
  dryRun: boolean;
  /** Index after the last finished entry (equals the list length when done). */
  cursor: number;
}

async function copyList(
  deps: S3Deps,
  request: ListCommon,
  length: number,
  entryAt: (index: number, tally: Tally) => Entry | undefined,
  runtime: CopyRuntime,
): Promise<CopyListResult> {
  const tally = new Tally(request.initialTotals, request.maxReported ?? DEFAULT_MAX_REPORTED);
  const chunkSize = Math.max(1, request.chunkSize ?? DEFAULT_CHUNK_SIZE);
  let cursor = Math.max(0, request.startIndex ?? 0);
  while (cursor < length) {
    const end = Math.min(length, cursor + chunkSize);
    const entries: Entry[] = [];
    for (let i = cursor; i < end; i++) {
      const entry = entryAt(i, tally);
      if (entry) entries.push(entry);
    }
    await copyEntries(deps, request, entries, tally, runtime);
    cursor = end;
    await request.onProgress?.({ cursor, totals: tally.snapshot() });
  }
  return { ...tally.snapshot(), dryRun: Boolean(request.dryRun), cursor };
}

/** Copies explicit {source, destination} pairs (both keys; buckets from the request). */
export async function copyPairs(deps: S3Deps, request: CopyPairsRequest, runtime: CopyRuntime = {}): Promise<CopyListResult> {
  return copyList(deps, request, request.pairs.length, (i) => request.pairs[i], runtime);
}

/** Copies an explicit list of source keys, mapped by destinationKey. */
export async function copyKeys(deps: S3Deps, request: CopyKeysRequest, runtime: CopyRuntime = {}): Promise<CopyListResult> {
  return copyList(deps, request, request.keys.length, (i, tally) => mapEntry(request.keys[i], request.destinationKey, tally), runtime);
}
