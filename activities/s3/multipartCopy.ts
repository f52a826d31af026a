/**
 * The copy of an object above the multipart threshold: CreateMultipartUpload with the source's
 * headers, tags, storage class and encryption, UploadPartCopy by byte range, then a conditional
 * Complete (If-None-Match: *).
 */
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  UploadPartCopyCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { DEFAULT_PART_SIZE_BYTES, GiB, MiB, type CopyRuntime } from './copyTypes';
import { encodeCopySource, getTags, taggingHeader, type ObjectHead, type ObjectRef, type S3Deps } from './objects';
import { refused, type WriteOutcome } from './singleCopy';
import { preservedStorage } from './sourceStorage';

const MIN_PART_BYTES = 5 * MiB;
const MAX_PART_BYTES = 5 * GiB;
const MAX_PARTS = 10_000;

export function effectivePartSize(size: number, requested = DEFAULT_PART_SIZE_BYTES): number {
  const needed = Math.ceil(size / MAX_PARTS);
  return Math.min(MAX_PART_BYTES, Math.max(MIN_PART_BYTES, requested, needed));
}

/** CreateMultipartUpload with the source's headers, tags, storage class and encryption, UploadPartCopy by byte range, Complete; abort on any failure. */
export async function multipartCopy(
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
