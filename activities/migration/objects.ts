/**
 * S3 consolidation over the verified-copy engine: per-user prefixes, whole-bucket and
 * run-wide layouts (listed once per run), verification of every copy, and the approved
 * cleanup of verified sources. Key mappings come from src/s3layout with the whole id map.
 */
import { DeleteObjectCommand, GetBucketVersioningCommand, paginateListObjectsV2 } from '@aws-sdk/client-s3';
import { Context } from '@temporalio/activity';
import type { Deployment } from '../../src/deployment/catalogue';
import type { IdMap, IdPair } from '../../src/idmap/types';
import { addBucket, addProblems, emptyBucketCounters, emptyTotals, type Problem, type Totals } from '../../src/report/counters';
import { listingPrefix, s3Source, type S3Source, type S3SourceName } from '../../src/s3layout/sources';
import type { IdMapRef, OnConflict, VerificationResult } from '../../workflows/types';
import type { AwsClients } from '../aws/clients';
import { createObjectCopier } from '../s3/objectCopier';
import type { ListedObject } from '../s3/copy';
import { compareContents, headObject, isNotFound } from '../s3/objects';
import { commonPrefix } from '../s3/destinationListing';
import type { IdMapCache } from '../dynamo/idMapClaimCheck';
import { fromCopyTotals } from './totals';
import { temporalLedgerResolver, type LedgerResolver } from '../ledger/resolver';

export interface ObjectSettings {
  /** Objects above this size are copied with multipart UploadPartCopy (tests lower it). */
  multipartThresholdBytes?: number;
  partSizeBytes?: number;
  /** Copies in flight per activity. */
  copyConcurrency?: number;
  /** Keys per page of verification's destination listing (S3's 1,000 unless a test lowers it). */
  verifyListingPageSize?: number;
}

export interface ObjectActivityDeps extends ObjectSettings {
  /** The worker's one id-map cache (created where the activities are composed, activities/index.ts). */
  idMapCache: IdMapCache;
  /** Which ledger copies and the cleanup marker record to (issue 12); default: the run's, from the migration's memo. */
  ledger?: LedgerResolver;
}

interface CopyInput {
  deployment: Deployment;
  sourceName: S3SourceName;
  idMapRef: IdMapRef;
  dryRun: boolean;
  onConflict: OnConflict;
}

const claim = (ref: IdMapRef) => ({ bucket: ref.bucket, key: ref.key, sha256: ref.sha256 });

/** Same bytes at both places? 'missing' when either side is gone. */
async function sameObject(clients: AwsClients, source: { bucket: string; key: string }, dest: { bucket: string; key: string }, signal?: AbortSignal) {
  const [sourceHead, destHead] = await Promise.all([headObject(clients, source, signal), headObject(clients, dest, signal)]);
  if (!sourceHead || !destHead) return 'missing';
  const comparison = await compareContents(clients, source, sourceHead, dest, destHead, { verifyStreamLimitBytes: 1024 ** 3, abortSignal: signal });
  return comparison.verdict;
}

/** One request: does the bucket exist (and may we read it)? */
export async function bucketExists(clients: AwsClients, bucket: string): Promise<boolean> {
  try {
    await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    if (isNotFound(err) || (err as { name?: string }).name === 'NoSuchBucket') return false;
    throw err;
  }
}

/** Lists every key of a source (once per run) with its mapped destination. */
async function* mappedKeys(clients: AwsClients, source: S3Source, bucket: string, prefix: string, ids: IdMap, signal?: AbortSignal) {
  for await (const page of paginateListObjectsV2({ client: clients.s3 }, { Bucket: bucket, Prefix: prefix }, { abortSignal: signal })) {
    for (const object of page.Contents ?? []) {
      const key = object.Key!;
      const listed: ListedObject = { size: object.Size ?? 0, etag: object.ETag };
      yield { key, listed, destination: source.destinationKey(key, ids) };
    }
  }
}

interface ExpectedCopy {
  key: string;
  listed: ListedObject;
}

/**
 * The copies a source's listing expects, by destination key, until the destination listing
 * meets them. Verification holds a whole source at once (hundreds of thousands of objects at
 * 10,000 users), so each is packed in one string, "size NUL etag NUL key" (the key last: it
 * may hold any character), not an object per field (issue 9: worker memory).
 */
class ExpectedCopies {
  private readonly byDestination = new Map<string, string | string[]>();
  /** The longest prefix every destination shares: what the one destination listing reads. */
  prefix: string | undefined;

  add(destination: string, key: string, listed: ListedObject): void {
    const packed = `${listed.size}\u0000${listed.etag ?? ''}\u0000${key}`;
    const held = this.byDestination.get(destination);
    // Two sources of one destination are each judged against it.
    this.byDestination.set(destination, held === undefined ? packed : [...(typeof held === 'string' ? [held] : held), packed]);
    this.prefix = this.prefix === undefined ? destination : commonPrefix([this.prefix, destination]);
  }

  /** The sources that expect their copy at `destination`, no longer held. */
  take(destination: string): ExpectedCopy[] {
    const held = this.byDestination.get(destination);
    if (held === undefined) return [];
    this.byDestination.delete(destination);
    return (typeof held === 'string' ? [held] : held).map(unpack);
  }

  /** What the destination listing never met: copies that are missing. */
  *remaining(): Generator<[string, ExpectedCopy]> {
    for (const destination of [...this.byDestination.keys()]) for (const copy of this.take(destination)) yield [destination, copy];
  }
}

function unpack(packed: string): ExpectedCopy {
  const sizeEnd = packed.indexOf('\u0000');
  const etagEnd = packed.indexOf('\u0000', sizeEnd + 1);
  const etag = packed.slice(sizeEnd + 1, etagEnd);
  return { key: packed.slice(etagEnd + 1), listed: { size: Number(packed.slice(0, sizeEnd)), etag: etag === '' ? undefined : etag } };
}

/**
 * Same size and the same single-part ETag: the same bytes. A multipart ETag (`-N`) or an
 * SSE-KMS copy never equals its source's, so those are compared by HEAD and checksum instead.
 */
function sameListing(source: ListedObject, copy: ListedObject): boolean {
  return source.size === copy.size && source.etag !== undefined && source.etag === copy.etag && !source.etag.includes('-');
}

export function createObjectActivities(clients: AwsClients, settings: ObjectActivityDeps) {
  const cache = settings.idMapCache;
  const resolveLedger = settings.ledger ?? temporalLedgerResolver(clients);
  async function copySource(input: CopyInput, prefix: string, user?: string): Promise<Totals> {
    const source = s3Source(input.sourceName);
    const sourceBucket = input.deployment.buckets[source.bucket];
    if (!(await bucketExists(clients, sourceBucket))) return emptyTotals();
    const ids = await cache.resolve(clients, claim(input.idMapRef));
    const ledger = await resolveLedger({ deployment: input.deployment, dryRun: input.dryRun });
    const s3 = createObjectCopier(clients, { resolveMapping: () => (key) => source.destinationKey(key, ids), ledger });
    const result = await s3.copyS3Prefix({
      sourceBucket,
      destBucket: input.deployment.buckets[source.destinationBucket],
      prefix,
      mapping: { id: source.name },
      dryRun: input.dryRun,
      concurrency: settings.copyConcurrency,
      multipartThresholdBytes: settings.multipartThresholdBytes,
      partSizeBytes: settings.partSizeBytes,
    });
    return fromCopyTotals(source.bucket, result, user);
  }

  return {
    async copyUserObjects(input: CopyInput & { user: IdPair }): Promise<Totals> {
      const source = s3Source(input.sourceName);
      return copySource(input, listingPrefix(source, input.user.oldId), input.user.oldId);
    },

    async copyBulkObjects(input: CopyInput): Promise<Totals> {
      const source = s3Source(input.sourceName);
      return copySource(input, listingPrefix(source, ''));
    },

    /**
     * Every source object the map assigns a destination has an identical copy there.
     * Listed once per source for the whole run, whatever the scope.
     */
    async verifyObjects(input: { deployment: Deployment; sourceName: S3SourceName; idMapRef: IdMapRef }): Promise<VerificationResult> {
      const source = s3Source(input.sourceName);
      const bucket = input.deployment.buckets[source.bucket];
      const result: VerificationResult = { tablesChecked: 0, itemsChecked: 0, oldIdsLeft: 0, objectsChecked: 0, objectsMissing: 0, problems: [] };
      if (!(await bucketExists(clients, bucket))) return result;
      const ids = await cache.resolve(clients, claim(input.idMapRef));
      const destBucket = input.deployment.buckets[source.destinationBucket];
      const ctx = Context.current();
      const signal = ctx.cancellationSignal;
      const prefix = source.scope === 'perUser' ? '' : listingPrefix(source, '');
      const expected = new ExpectedCopies();
      for await (const { key, destination, listed } of mappedKeys(clients, source, bucket, prefix, ids, signal)) {
        if (destination === undefined || (bucket === destBucket && destination === key)) continue;
        expected.add(destination, key, listed);
      }
      if (expected.prefix === undefined) return result;
      const problems: Problem[] = [];
      const judge = async (destination: string, { key, listed }: ExpectedCopy, copy: ListedObject | undefined) => {
        result.objectsChecked++;
        const verdict =
          copy === undefined
            ? 'missing'
            : sameListing(listed, copy)
              ? 'equal'
              : await sameObject(clients, { bucket, key }, { bucket: destBucket, key: destination }, signal);
        if (verdict !== 'equal') {
          result.objectsMissing++;
          if (problems.length < 50) problems.push({ kind: 'failure', where: source.bucket, source: key, target: destination, reason: `copy ${verdict}` });
        }
        if (result.objectsChecked % 200 === 0) ctx.heartbeat();
      };
      // One listing of the destinations instead of two HEADs per object: a destination listed
      // with the source's size and (single-part) ETag holds its bytes. The listing streams:
      // each copy is judged on the page that shows it, then let go.
      const destinations = paginateListObjectsV2(
        { client: clients.s3, pageSize: settings.verifyListingPageSize },
        { Bucket: destBucket, Prefix: expected.prefix },
        { abortSignal: signal },
      );
      for await (const page of destinations) {
        for (const object of page.Contents ?? []) {
          const copy: ListedObject = { size: object.Size ?? 0, etag: object.ETag };
          for (const expectedCopy of expected.take(object.Key!)) await judge(object.Key!, expectedCopy, copy);
        }
        ctx.heartbeat();
      }
      for (const [destination, expectedCopy] of expected.remaining()) await judge(destination, expectedCopy, undefined);
      // Found in listing order, reported in the source's.
      result.problems = problems.sort((a, b) => (a.source! < b.source! ? -1 : a.source! > b.source! ? 1 : 0));
      return result;
    },

    /**
     * The approved cleanup: deletes a legacy object only when its copy is verified identical
     * and the source bucket is versioned (so the delete is a recoverable delete marker).
     *
     * Before the first delete, a cleanup marker goes to the run's ledger (issue 12): from then
     * on the migrated copies may be the only current ones, and a revert of this run refuses.
     */
    async cleanupSource(input: { deployment: Deployment; sourceName: S3SourceName; idMapRef: IdMapRef }): Promise<Totals> {
      const source = s3Source(input.sourceName);
      const bucket = input.deployment.buckets[source.bucket];
      if (source.bucket === source.destinationBucket || !(await bucketExists(clients, bucket))) return emptyTotals();
      const versioning = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
      if (versioning.Status !== 'Enabled') {
        return addProblems(emptyTotals(), [{ kind: 'failure', where: source.bucket, reason: `not cleaned: bucket ${bucket} is not versioned, so a delete could not be undone` }]);
      }
      const ids = await cache.resolve(clients, claim(input.idMapRef));
      const destBucket = input.deployment.buckets[source.destinationBucket];
      const counters = emptyBucketCounters();
      const problems: Problem[] = [];
      const ctx = Context.current();
      const prefix = source.scope === 'perUser' ? '' : listingPrefix(source, '');
      let marked = false;
      for await (const { key, destination } of mappedKeys(clients, source, bucket, prefix, ids, ctx.cancellationSignal)) {
        counters.objectsListed++;
        if (destination === undefined) continue;
        const verdict = await sameObject(clients, { bucket, key }, { bucket: destBucket, key: destination }, ctx.cancellationSignal);
        if (verdict !== 'equal') {
          counters.failures++;
          problems.push({ kind: 'failure', where: source.bucket, source: key, target: destination, reason: 'kept: copy not verified identical' });
          continue;
        }
        if (!marked) {
          await (await resolveLedger({ deployment: input.deployment, dryRun: false }))?.record([{ kind: 'cleanup', source: input.sourceName }]);
          marked = true;
        }
        await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
        counters.objectsCopied++; // counted as "objects handled": deleted after verification
        if (counters.objectsListed % 200 === 0) ctx.heartbeat();
      }
      return addProblems(addBucket(emptyTotals(), source.bucket, counters), problems);
    },
  };
}
