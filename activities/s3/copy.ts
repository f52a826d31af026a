/**
 * One verified S3 object copy (DECISIONS.md §3 "S3 is copied, then verified"):
 * skip an identical destination, report a different one as a conflict (never overwrite),
 * CopyObject up to the threshold and UploadPartCopy above it, then verify the destination
 * against the source. The source is never deleted here; cleanup is a separate phase.
 *
 * Verification (and the "identical destination" check) uses, cheapest first: size, then
 * equal ETags, then a FULL_OBJECT checksum both objects carry, then a streamed SHA-256 of
 * both objects up to verifyStreamLimitBytes. We deliberately do not mark copies with our own
 * metadata: the destination must carry exactly the source's metadata, which the services read.
 * A multipart-copied destination has a `-N` ETag that never equals the source's, so it is
 * verified (and recognised as identical on a re-run) by its bytes.
 *
 * The copy keeps what the source had (issue 10 §3): CopyObject and CreateMultipartUpload
 * reset storage class and encryption to the destination bucket's defaults unless told
 * otherwise, so both paths pass the source's StorageClass and server-side encryption
 * (SSE-S3, or SSE-KMS with the same key id and bucket-key setting) taken from the source
 * HEAD we already make: no extra request per object. Metadata, content type and tags are
 * copied by the COPY directives (single request) or from the HEAD and GetObjectTagging
 * (multipart). A source archived in GLACIER / DEEP_ARCHIVE (or an Intelligent-Tiering
 * archive tier) and not restored cannot be read by S3 itself: it is reported as `archived`
 * with the reason, without any write and without a retry.
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type HeadObjectCommandOutput,
  type ServerSideEncryption,
  type StorageClass,
} from '@aws-sdk/client-s3';
import {
  compareContents,
  describeError,
  type CompareOptions,
  encodeCopySource,
  getTags,
  headObject,
  isAbort,
  isPreconditionFailed,
  taggingHeader,
  type ContentComparison,
  type ObjectHead,
  type ObjectRef,
  type S3Deps,
} from './objects';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
/** CopyObject's own limit (5 GB). */
export const DEFAULT_MULTIPART_THRESHOLD_BYTES = 5 * GiB;
export const DEFAULT_PART_SIZE_BYTES = 512 * MiB;
/** Covers every object the default multipart threshold sends down the multipart path up to 50 GiB. */
export const DEFAULT_VERIFY_STREAM_LIMIT_BYTES = 50 * GiB;
const MIN_PART_BYTES = 5 * MiB;
const MAX_PART_BYTES = 5 * GiB;
const MAX_PARTS = 10_000;

export interface CopySettings {
  /** Objects larger than this go through multipart UploadPartCopy. Default 5 GiB. */
  multipartThresholdBytes?: number;
  /** Part size for UploadPartCopy; raised as needed to stay within 10,000 parts. Default 512 MiB. */
  partSizeBytes?: number;
  /** See compareContents. Default 50 GiB. */
  verifyStreamLimitBytes?: number;
  /** Reads (HEAD) only; reports what a real run would do. */
  dryRun?: boolean;
}

export interface CopyRequest extends CopySettings {
  sourceBucket: string;
  sourceKey: string;
  destBucket: string;
  destKey: string;
}

export interface CopyRuntime {
  /** Passed to every S3 call (Temporal's cancellationSignal). */
  abortSignal?: AbortSignal;
  /** Called while a long copy or verification makes progress, so the caller can heartbeat. */
  onLiveness?: () => void;
  /**
   * When this activity was first scheduled (Temporal's scheduledTimestampMs). An identical
   * destination written since then was copied by an earlier attempt of this same activity whose
   * result was lost (a killed worker): it counts as copied, as the plan counted it, not as a
   * copy that was already there. S3 keeps LastModified to the second, hence the rounding down.
   */
  copiedSinceMs?: number;
}

/**
 * `archived`: the source is in an archive tier and not restored, so S3 cannot copy it;
 * nothing was written, and retrying cannot help until someone restores it.
 */
export type CopyStatus = 'copied' | 'skipped-identical' | 'conflict' | 'failed' | 'archived';
export type CopyMethod = 'copy-object' | 'multipart';

export interface CopyResult {
  status: CopyStatus;
  /** The source object's size (for `copied` in a dry run: the bytes that would be copied). */
  bytes: number;
  reason?: string;
  /** For `copied`: the request path used (or that a dry run would use). */
  method?: CopyMethod;
  /** For `copied` and `skipped-identical`: the evidence that the bytes match ('etag', a checksum field, 'sha256-stream'). */
  verifiedBy?: string;
  dryRun: boolean;
}

export async function copyVerified(deps: S3Deps, request: CopyRequest, runtime: CopyRuntime = {}): Promise<CopyResult> {
  const dryRun = Boolean(request.dryRun);
  const source: ObjectRef = { bucket: request.sourceBucket, key: request.sourceKey };
  const dest: ObjectRef = { bucket: request.destBucket, key: request.destKey };
  const { abortSignal } = runtime;
  const compareOptions = {
    verifyStreamLimitBytes: request.verifyStreamLimitBytes ?? DEFAULT_VERIFY_STREAM_LIMIT_BYTES,
    abortSignal,
    onBytes: runtime.onLiveness ? () => runtime.onLiveness?.() : undefined,
  };
  let sourceHead: ObjectHead | undefined;
  try {
    sourceHead = await headObject(deps, source, abortSignal);
    if (!sourceHead) return { status: 'failed', bytes: 0, reason: 'source object does not exist', dryRun };
    const bytes = sourceHead.size;
    // The legacy self-copy (old id == new id) made S3 reject the request; here it is a no-op.
    if (source.bucket === dest.bucket && source.key === dest.key) {
      return { status: 'skipped-identical', bytes, verifiedBy: 'same-object', dryRun };
    }

    const archived = archivedReason(sourceHead.raw);
    const destHead = await headObject(deps, dest, abortSignal);
    if (destHead) {
      const comparison = await compareContents(deps, source, sourceHead, dest, destHead, readableOptions(compareOptions, sourceHead, destHead));
      if (archived && comparison.verdict === 'unknown') return { status: 'archived', bytes, reason: archived, dryRun };
      const existing = classifyExisting(comparison, bytes, dryRun);
      if (existing.status === 'skipped-identical' && copiedByEarlierAttempt(destHead, runtime.copiedSinceMs)) {
        return { status: 'copied', bytes, method: copyMethod(bytes, request), verifiedBy: existing.verifiedBy, dryRun };
      }
      return existing;
    }
    if (archived) return { status: 'archived', bytes, reason: archived, dryRun };

    const method = copyMethod(bytes, request);
    if (dryRun) return { status: 'copied', bytes, method, dryRun };

    const written =
      method === 'copy-object'
        ? await singleCopy(deps, source, sourceHead, dest, abortSignal)
        : await multipartCopy(deps, source, sourceHead, dest, effectivePartSize(bytes, request.partSizeBytes), runtime);
    if (written !== 'written') return { ...written, bytes, dryRun };

    return await verifyWritten(deps, source, sourceHead, dest, method, compareOptions, dryRun);
  } catch (err) {
    if (isAbort(err, abortSignal)) throw err;
    return { status: 'failed', bytes: sourceHead?.size ?? 0, reason: describeError(err), dryRun };
  }
}

/**
 * An archived object cannot be streamed (GetObject fails with InvalidObjectState), so when
 * either side is archived only size, ETag and checksums may decide; otherwise the verdict
 * is 'unknown' instead of an exception.
 */
function readableOptions(options: CompareOptions, a: ObjectHead, b: ObjectHead): CompareOptions {
  return archivedReason(a.raw) || archivedReason(b.raw) ? { ...options, verifyStreamLimitBytes: -1 } : options;
}

const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/**
 * Why S3 cannot copy this object, or undefined when it can. GLACIER and DEEP_ARCHIVE
 * objects (and Intelligent-Tiering objects in an archive access tier) can be copied only
 * while a restored copy exists: the Restore header says `ongoing-request="false"`.
 * GLACIER_IR is instantly readable and copies like any other class.
 */
export function archivedReason(head: HeadObjectCommandOutput): string | undefined {
  const tier = head.StorageClass && ARCHIVE_CLASSES.has(head.StorageClass) ? head.StorageClass : head.ArchiveStatus;
  if (!tier) return undefined;
  const restore = head.Restore ?? '';
  if (/ongoing-request="false"/.test(restore)) return undefined;
  const state = /ongoing-request="true"/.test(restore) ? 'its restore is still in progress' : 'it is not restored';
  return `source is archived (${tier}) and ${state}: S3 cannot copy it; restore it (RestoreObject) and run again`;
}

/**
 * The request fields that make the copy keep the source's storage class and server-side
 * encryption. STANDARD is what S3 omits, so it is omitted here too. SSE-C cannot be
 * reproduced (we do not hold the customer key): such a source fails at the HEAD already.
 */
export function preservedStorage(head: HeadObjectCommandOutput): {
  StorageClass?: StorageClass;
  ServerSideEncryption?: ServerSideEncryption;
  SSEKMSKeyId?: string;
  BucketKeyEnabled?: boolean;
} {
  const kms = head.ServerSideEncryption !== undefined && head.ServerSideEncryption.startsWith('aws:kms');
  return {
    StorageClass: head.StorageClass && head.StorageClass !== 'STANDARD' ? head.StorageClass : undefined,
    ServerSideEncryption: head.ServerSideEncryption,
    SSEKMSKeyId: kms ? head.SSEKMSKeyId : undefined,
    BucketKeyEnabled: kms ? head.BucketKeyEnabled : undefined,
  };
}

function copyMethod(bytes: number, request: CopyRequest): CopyMethod {
  return bytes > (request.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD_BYTES) ? 'multipart' : 'copy-object';
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

type WriteOutcome = 'written' | { status: 'conflict' | 'failed'; reason: string };

/**
 * A PreconditionFailed means either the destination appeared after our HEAD (If-None-Match,
 * honoured by S3 since 2024) or the source changed after our HEAD (CopySourceIfMatch).
 */
async function explainPrecondition(deps: S3Deps, dest: ObjectRef, abortSignal?: AbortSignal): Promise<WriteOutcome> {
  const appeared = await headObject(deps, dest, abortSignal);
  return appeared
    ? { status: 'conflict', reason: 'destination was written by someone else during the copy' }
    : { status: 'failed', reason: 'source object changed during the copy (ETag precondition failed); retry' };
}

async function singleCopy(deps: S3Deps, source: ObjectRef, sourceHead: ObjectHead, dest: ObjectRef, abortSignal?: AbortSignal): Promise<WriteOutcome> {
  try {
    await deps.s3.send(
      new CopyObjectCommand({
        Bucket: dest.bucket,
        Key: dest.key,
        CopySource: encodeCopySource(source.bucket, source.key),
        CopySourceIfMatch: sourceHead.etag || undefined,
        IfNoneMatch: '*',
        MetadataDirective: 'COPY',
        TaggingDirective: 'COPY',
        ...preservedStorage(sourceHead.raw),
      }),
      { abortSignal },
    );
    return 'written';
  } catch (err) {
    if (isPreconditionFailed(err)) return explainPrecondition(deps, dest, abortSignal);
    throw err;
  }
}

export function effectivePartSize(size: number, requested = DEFAULT_PART_SIZE_BYTES): number {
  const needed = Math.ceil(size / MAX_PARTS);
  return Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, requested, needed));
}

/** CreateMultipartUpload with the source's headers, tags, storage class and encryption, UploadPartCopy by byte range, Complete; abort on any failure. */
async function multipartCopy(
  deps: S3Deps,
  source: ObjectRef,
  sourceHead: ObjectHead,
  dest: ObjectRef,
  partSize: number,
  runtime: CopyRuntime,
): Promise<WriteOutcome> {
  const { abortSignal } = runtime;
  const head = sourceHead.raw;
  const tags = await getTags(deps, source, abortSignal);
  const created = await deps.s3.send(
    new CreateMultipartUploadCommand({
      Bucket: dest.bucket,
      Key: dest.key,
      ContentType: head.ContentType,
      ContentEncoding: head.ContentEncoding,
      ContentDisposition: head.ContentDisposition,
      ContentLanguage: head.ContentLanguage,
      CacheControl: head.CacheControl,
      Expires: head.Expires,
      WebsiteRedirectLocation: head.WebsiteRedirectLocation,
      Metadata: head.Metadata,
      Tagging: taggingHeader(tags),
      ...preservedStorage(head),
    }),
    { abortSignal },
  );
  const uploadId = created.UploadId;
  if (!uploadId) throw new Error('CreateMultipartUpload returned no UploadId');
  try {
    const parts: CompletedPart[] = [];
    const copySource = encodeCopySource(source.bucket, source.key);
    for (let start = 0, partNumber = 1; start < sourceHead.size; start += partSize, partNumber++) {
      const end = Math.min(start + partSize, sourceHead.size) - 1;
      const part = await deps.s3.send(
        new UploadPartCopyCommand({
          Bucket: dest.bucket,
          Key: dest.key,
          UploadId: uploadId,
          PartNumber: partNumber,
          CopySource: copySource,
          CopySourceRange: `bytes=${start}-${end}`,
          CopySourceIfMatch: sourceHead.etag || undefined,
        }),
        { abortSignal },
      );
      parts.push({ PartNumber: partNumber, ETag: part.CopyPartResult?.ETag });
      runtime.onLiveness?.();
    }
    await deps.s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: dest.bucket,
        Key: dest.key,
        UploadId: uploadId,
        IfNoneMatch: '*',
        MultipartUpload: { Parts: parts },
      }),
      { abortSignal },
    );
    return 'written';
  } catch (err) {
    // Not with the (possibly aborted) signal: the abort must happen even when we were cancelled.
    await deps.s3.send(new AbortMultipartUploadCommand({ Bucket: dest.bucket, Key: dest.key, UploadId: uploadId })).catch(() => undefined);
    if (isPreconditionFailed(err)) return explainPrecondition(deps, dest, abortSignal);
    throw err;
  }
}

/**
 * HEAD the destination and compare it with the source. A destination that fails verification
 * is deleted (only if it is still the object we wrote: IfMatch its ETag), so nothing claims a
 * copy that is not one; a re-run then copies afresh instead of reporting a conflict.
 */
async function verifyWritten(
  deps: S3Deps,
  source: ObjectRef,
  sourceHead: ObjectHead,
  dest: ObjectRef,
  method: CopyMethod,
  compareOptions: CompareOptions,
  dryRun: boolean,
): Promise<CopyResult> {
  const bytes = sourceHead.size;
  const destHead = await headObject(deps, dest, compareOptions.abortSignal);
  if (!destHead) return { status: 'failed', bytes, method, reason: 'destination missing right after the copy', dryRun };
  // A copy of a restored archived source is itself archived (it keeps the class): see readableOptions.
  const comparison = await compareContents(deps, source, sourceHead, dest, destHead, readableOptions(compareOptions, sourceHead, destHead));
  if (comparison.verdict === 'equal') return { status: 'copied', bytes, method, verifiedBy: comparison.by, dryRun };
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
