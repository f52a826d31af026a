/**
 * How a copy judges what it finds or writes at the destination: an existing object is a skip
 * when identical, a conflict when different (never overwritten); a written one is verified
 * against the source, and removed when it fails.
 */
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { copyMethod, type CopyAt, type CopyMethod, type CopyResult, type WrittenObject } from './copyTypes';
import { compareContents, describeError, headObject, isAbort, type CompareOptions, type ContentComparison, type ObjectHead } from './objects';
import type { Refused } from './singleCopy';
import { archivedReason } from './sourceStorage';

const writtenAs = (head: ObjectHead): WrittenObject => ({ etag: head.etag || undefined, versionId: head.raw.VersionId });

/**
 * The destination already holds an object: identical is a skip, different a conflict (never
 * overwritten). Identical and written by this same copy, whose answer was lost (an SDK retry
 * of our own request, or an earlier attempt of this activity), is the copy, as the plan counted it.
 */
export async function existingDestination(copy: CopyAt, sourceHead: ObjectHead, destHead: ObjectHead, ownRetry: boolean): Promise<CopyResult> {
  const { deps, source, dest, compareOptions, request, runtime, dryRun } = copy;
  const bytes = sourceHead.size;
  const archived = archivedReason(sourceHead.raw);
  const comparison = await compareContents(deps, source, sourceHead, dest, destHead, readableOptions(compareOptions, sourceHead, destHead));
  if (archived && comparison.verdict === 'unknown') return { status: 'archived', bytes, reason: archived, dryRun };
  const existing = classifyExisting(comparison, bytes, dryRun);
  if (existing.status === 'skipped-identical' && (ownRetry || copiedByEarlierAttempt(destHead, runtime.copiedSinceMs))) {
    return { status: 'copied', bytes, method: copyMethod(bytes, request), verifiedBy: existing.verifiedBy, written: writtenAs(destHead), dryRun };
  }
  return existing;
}

/**
 * A PreconditionFailed means either the destination exists (If-None-Match) or the source
 * changed after our HEAD (CopySourceIfMatch). One HEAD of the destination tells which.
 */
export async function afterPrecondition(copy: CopyAt, sourceHead: ObjectHead, refused: Refused): Promise<CopyResult> {
  const destHead = await headObject(copy.deps, copy.dest, copy.runtime.abortSignal);
  if (destHead) return existingDestination(copy, sourceHead, destHead, refused.ownRetry);
  return { status: 'failed', bytes: sourceHead.size, reason: 'source object changed during the copy (ETag precondition failed); retry', dryRun: copy.dryRun };
}

/**
 * An archived object cannot be streamed (GetObject fails with InvalidObjectState), so when
 * either side is archived only size, ETag and checksums may decide; otherwise the verdict
 * is 'unknown' instead of an exception.
 */
function readableOptions(options: CompareOptions, a: ObjectHead, b: ObjectHead): CompareOptions {
  return archivedReason(a.raw) || archivedReason(b.raw) ? { ...options, verifyStreamLimitBytes: -1 } : options;
}

function copiedByEarlierAttempt(destHead: ObjectHead, sinceMs: number | undefined): boolean {
  const modified = destHead.raw.LastModified?.getTime();
  return sinceMs !== undefined && modified !== undefined && modified >= Math.floor(sinceMs / 1000) * 1000;
}

function classifyExisting(comparison: ContentComparison, bytes: number, dryRun: boolean): CopyResult {
  if (comparison.verdict === 'equal') return { status: 'skipped-identical', bytes, verifiedBy: comparison.by, dryRun };
  const reason =
    comparison.verdict === 'different'
      ? `destination exists with different content (${comparison.detail ?? comparison.by})`
      : `destination exists and could not be compared: ${comparison.detail ?? ''}`;
  return { status: 'conflict', bytes, reason, dryRun };
}

/**
 * HEAD the destination and compare it with the source. A destination that fails verification
 * is deleted (only if it is still the object we wrote: IfMatch its ETag), so nothing claims a
 * copy that is not one; a re-run then copies afresh instead of reporting a conflict.
 */
export async function verifyWritten(copy: CopyAt, sourceHead: ObjectHead, method: CopyMethod): Promise<CopyResult> {
  const { deps, source, dest, compareOptions, dryRun } = copy;
  const bytes = sourceHead.size;
  const destHead = await headObject(deps, dest, compareOptions.abortSignal);
  if (!destHead) return { status: 'failed', bytes, method, reason: 'destination missing right after the copy', dryRun };
  // A copy of a restored archived source is itself archived (it keeps the class): see readableOptions.
  const comparison = await compareContents(deps, source, sourceHead, dest, destHead, readableOptions(compareOptions, sourceHead, destHead));
  if (comparison.verdict === 'equal') return { status: 'copied', bytes, method, verifiedBy: comparison.by, written: writtenAs(destHead), dryRun };
  let cleanup = 'removed the unverified destination';
  try {
    await deps.s3.send(new DeleteObjectCommand({ Bucket: dest.bucket, Key: dest.key, IfMatch: destHead.etag || undefined }), {
      abortSignal: compareOptions.abortSignal,
    });
  } catch (err) {
    if (isAbort(err, compareOptions.abortSignal)) throw err;
    cleanup = `could not remove the unverified destination (${describeError(err)})`;
  }
  return { status: 'failed', bytes, method, reason: `verification failed: ${comparison.detail ?? comparison.verdict}; ${cleanup}`, dryRun };
}
