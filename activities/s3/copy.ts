/**
 * One verified S3 object copy (DECISIONS.md §3 "S3 is copied, then verified"):
 * skip an identical destination, report a different one as a conflict (never overwrite),
 * CopyObject up to the threshold and UploadPartCopy above it, then verify the destination
 * against the source. The source is never deleted here; cleanup is a separate phase.
 *
 * One HEAD per copied object (issue 9): the source's, which the copy needs anyway. The
 * common path is HEAD source, then CopyObject with If-None-Match: * (a taken destination is
 * refused by S3 itself, then looked at and compared) and CopySourceIfMatch; the copy's answer
 * carries the new object's ETag, which verifies it when it equals the source's. Only a copy
 * whose ETag cannot match (SSE-KMS, multipart) is verified by a HEAD of the destination. A
 * dry run of a listed object HEADs only the destination.
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

/** What a listing (ListObjectsV2) said of a source object. */
export interface ListedObject {
  size: number;
  etag?: string;
  storageClass?: string;
}

export interface CopyRequest extends CopySettings {
  sourceBucket: string;
  sourceKey: string;
  destBucket: string;
  destKey: string;
  /** The source as listed: lets a dry run plan the copy without a HEAD of the source. */
  listed?: ListedObject;
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
  /** For `copied` (not in a dry run): the destination as written, when known (the ledger confirms it; issue 12). */
  written?: WrittenObject;
  dryRun: boolean;
}

export interface WrittenObject {
  etag?: string;
  versionId?: string;
}

const writtenAs = (head: ObjectHead): WrittenObject => ({ etag: head.etag || undefined, versionId: head.raw.VersionId });

export async function copyVerified(deps: S3Deps, request: CopyRequest, runtime: CopyRuntime = {}): Promise<CopyResult> {
  const dryRun = Boolean(request.dryRun);
  const source: ObjectRef = { bucket: request.sourceBucket, key: request.sourceKey };
  const dest: ObjectRef = { bucket: request.destBucket, key: request.destKey };
  const { abortSignal } = runtime;
  const compareOptions: CompareOptions = {
    verifyStreamLimitBytes: request.verifyStreamLimitBytes ?? DEFAULT_VERIFY_STREAM_LIMIT_BYTES,
    abortSignal,
    onBytes: runtime.onLiveness ? () => runtime.onLiveness?.() : undefined,
  };
  const copy: CopyAt = { deps, request, runtime, source, dest, compareOptions, dryRun };
  let knownSize = request.listed?.size ?? 0;
  try {
    // The legacy self-copy (old id == new id) made S3 reject the request; here it is a no-op.
    if (source.bucket === dest.bucket && source.key === dest.key) {
      const head = request.listed ? undefined : await headObject(deps, source, abortSignal);
      if (!request.listed && !head) return missingSource(dryRun);
      return { status: 'skipped-identical', bytes: request.listed?.size ?? head!.size, verifiedBy: 'same-object', dryRun };
    }
    if (dryRun && request.listed && !isArchiveClass(request.listed.storageClass)) return await planListedCopy(copy, request.listed);

    const sourceHead = await headObject(deps, source, abortSignal);
    if (!sourceHead) return missingSource(dryRun);
    knownSize = sourceHead.size;
    const method = copyMethod(sourceHead.size, request);
    const archived = archivedReason(sourceHead.raw);
    if (dryRun || archived || method === 'multipart') {
      // Look before writing: a dry run only looks; an archived source cannot be copied; and a
      // multipart copy is too costly to start only to find the destination taken at the end.
      const destHead = await headObject(deps, dest, abortSignal);
      if (destHead) return await existingDestination(copy, sourceHead, destHead, false);
      if (archived) return { status: 'archived', bytes: sourceHead.size, reason: archived, dryRun };
      if (dryRun) return { status: 'copied', bytes: sourceHead.size, method, dryRun };
      const written = await multipartCopy(deps, source, sourceHead, dest, effectivePartSize(sourceHead.size, request.partSizeBytes), runtime);
      return written.kind === 'written' ? await verifyWritten(copy, sourceHead, method) : await afterPrecondition(copy, sourceHead, written);
    }
    // The common path: one conditional CopyObject. If-None-Match finds a taken destination
    // without a HEAD before every copy, and the new object's ETag, returned by the copy,
    // verifies it without a HEAD after.
    const written = await singleCopy(deps, source, sourceHead, dest, abortSignal);
    if (written.kind !== 'written') return await afterPrecondition(copy, sourceHead, written);
    if (sourceHead.etag && written.etag === sourceHead.etag) {
      return { status: 'copied', bytes: sourceHead.size, method, verifiedBy: 'etag', written: { etag: written.etag, versionId: written.versionId }, dryRun };
    }
    return await verifyWritten(copy, sourceHead, method);
  } catch (err) {
    if (isAbort(err, abortSignal)) throw err;
    return { status: 'failed', bytes: knownSize, reason: describeError(err), dryRun };
  }
}

/** One copy's context, passed to the steps below. */
interface CopyAt {
  deps: S3Deps;
  request: CopyRequest;
  runtime: CopyRuntime;
  source: ObjectRef;
  dest: ObjectRef;
  compareOptions: CompareOptions;
  dryRun: boolean;
}

function missingSource(dryRun: boolean): CopyResult {
  return { status: 'failed', bytes: 0, reason: 'source object does not exist', dryRun };
}

/**
 * A dry run of a listed source: the listing gave its size, so only the destination is looked
 * at, and the source only when the destination exists (a re-run) and must be compared.
 */
async function planListedCopy(copy: CopyAt, listed: ListedObject): Promise<CopyResult> {
  const { deps, source, dest, runtime, dryRun } = copy;
  const destHead = await headObject(deps, dest, runtime.abortSignal);
  if (!destHead) return { status: 'copied', bytes: listed.size, method: copyMethod(listed.size, copy.request), dryRun };
  const sourceHead = await headObject(deps, source, runtime.abortSignal);
  if (!sourceHead) return missingSource(dryRun);
  return existingDestination(copy, sourceHead, destHead, false);
}

/**
 * The destination already holds an object: identical is a skip, different a conflict (never
 * overwritten). Identical and written by this same copy, whose answer was lost (an SDK retry
 * of our own request, or an earlier attempt of this activity), is the copy, as the plan counted it.
 */
async function existingDestination(copy: CopyAt, sourceHead: ObjectHead, destHead: ObjectHead, ownRetry: boolean): Promise<CopyResult> {
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
async function afterPrecondition(copy: CopyAt, sourceHead: ObjectHead, refused: Refused): Promise<CopyResult> {
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

const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/**
 * A listed storage class whose objects may be unreadable: archive classes, and
 * Intelligent-Tiering (its archive tiers show only in a HEAD's ArchiveStatus).
 */
function isArchiveClass(storageClass: string | undefined): boolean {
  return storageClass !== undefined && (ARCHIVE_CLASSES.has(storageClass) || storageClass === 'INTELLIGENT_TIERING');
}

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

/** S3 refused a conditional write (412). `ownRetry`: the SDK had already sent this request once. */
interface Refused {
  kind: 'refused';
  ownRetry: boolean;
}
type WriteOutcome = { kind: 'written'; etag?: string; versionId?: string } | Refused;

function refused(err: unknown): Refused | undefined {
  if (!isPreconditionFailed(err)) return undefined;
  return { kind: 'refused', ownRetry: ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1 };
}

async function singleCopy(deps: S3Deps, source: ObjectRef, sourceHead: ObjectHead, dest: ObjectRef, abortSignal?: AbortSignal): Promise<WriteOutcome> {
  try {
    const response = await deps.s3.send(
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
    return { kind: 'written', etag: response.CopyObjectResult?.ETag, versionId: response.VersionId };
  } catch (err) {
    const outcome = refused(err);
    if (outcome) return outcome;
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
    return { kind: 'written' };
  } catch (err) {
    // Not with the (possibly aborted) signal: the abort must happen even when we were cancelled.
    await deps.s3.send(new AbortMultipartUploadCommand({ Bucket: dest.bucket, Key: dest.key, UploadId: uploadId })).catch(() => undefined);
    const outcome = refused(err);
    if (outcome) return outcome;
    throw err;
  }
}

/**
 * HEAD the destination and compare it with the source. A destination that fails verification
 * is deleted (only if it is still the object we wrote: IfMatch its ETag), so nothing claims a
 * copy that is not one; a re-run then copies afresh instead of reporting a conflict.
 */
async function verifyWritten(copy: CopyAt, sourceHead: ObjectHead, method: CopyMethod): Promise<CopyResult> {
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
