/**
 * One verified S3 object copy (S3 is copied, then verified, never moved during the migration):
 * skip an identical destination, report a different one as a conflict (never overwrite),
 * CopyObject up to the threshold and UploadPartCopy above it, then verify the destination
 * against the source. The source is never deleted here; cleanup is a separate phase.
 *
 * One HEAD per copied object (issue 9): the source's, which the copy needs anyway. The
 * common path is HEAD source, then CopyObject with If-None-Match: * (a taken destination is
 * refused by S3 itself, then looked at and compared) and CopySourceIfMatch; the copy's answer
 * carries the new object's ETag, which verifies it when it equals the source's. Only a copy
 * whose ETag cannot match (SSE-KMS, multipart) is verified by a HEAD of the destination. A
 * dry run of a listed object HEADs only the destination, and not even that when a listing of
 * its page's destinations showed it free.
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
import { headObject, isAbort, describeError, type CompareOptions, type ObjectRef, type S3Deps } from './objects';
import { copyMethod, DEFAULT_VERIFY_STREAM_LIMIT_BYTES, type CopyAt, type CopyRequest, type CopyResult, type CopyRuntime, type ListedObject } from './copyTypes';
import { afterPrecondition, existingDestination, verifyWritten } from './copyVerification';
import { effectivePartSize, multipartCopy } from './multipartCopy';
import { singleCopy } from './singleCopy';
import { archivedReason, isArchiveClass } from './sourceStorage';

export {
  DEFAULT_MULTIPART_THRESHOLD_BYTES,
  DEFAULT_PART_SIZE_BYTES,
  DEFAULT_VERIFY_STREAM_LIMIT_BYTES,
  GiB,
  MiB,
  type CopyMethod,
  type CopyRequest,
  type CopyResult,
  type CopyRuntime,
  type CopySettings,
  type CopyStatus,
  type ListedObject,
  type WrittenObject,
} from './copyTypes';
export { effectivePartSize } from './multipartCopy';
export { archivedReason, preservedStorage } from './sourceStorage';

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

function missingSource(dryRun: boolean): CopyResult {
  return { status: 'failed', bytes: 0, reason: 'source object does not exist', dryRun };
}

/**
 * A dry run of a listed source: the listing gave its size, so only the destination is looked
 * at (by a HEAD, unless a listing of the page's destinations already showed it free), and the
 * source only when the destination exists (a re-run) and must be compared.
 */
async function planListedCopy(copy: CopyAt, listed: ListedObject): Promise<CopyResult> {
  const { deps, source, dest, runtime, dryRun } = copy;
  const destHead = copy.request.destinationFree ? undefined : await headObject(deps, dest, runtime.abortSignal);
  if (!destHead) return { status: 'copied', bytes: listed.size, method: copyMethod(listed.size, copy.request), dryRun };
  const sourceHead = await headObject(deps, source, runtime.abortSignal);
  if (!sourceHead) return missingSource(dryRun);
  return existingDestination(copy, sourceHead, destHead, false);
}
