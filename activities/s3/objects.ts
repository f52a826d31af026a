/**
 * Small S3 object helpers shared by the verified copy: CopySource encoding, HEAD that
 * tells "absent" apart from errors, tag strings, and content comparison.
 */
import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  type HeadObjectCommandOutput,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';

export interface S3Deps {
  s3: S3Client;
}

export interface ObjectRef {
  bucket: string;
  key: string;
}

/** What a HEAD told us about an existing object (only what copy and verification need). */
export interface ObjectHead {
  size: number;
  etag: string;
  /** Full-object checksums S3 reports (ChecksumMode ENABLED), by algorithm. */
  fullObjectChecksums: Record<string, string>;
  raw: HeadObjectCommandOutput;
}

/**
 * The CopySource header value: `bucket/key` with every key segment percent-encoded and the
 * `/` separators kept. boto3 does this implicitly; the v3 SDK sends the string as given, so
 * a raw space, `+`, `%`, `?`, `#` or non-ASCII character would name a different key.
 */
export function encodeCopySource(bucket: string, key: string): string {
  return `${bucket}/${key.split('/').map(encodeURIComponent).join('/')}`;
}

/** The x-amz-tagging header form (URL query encoding) of a tag set. */
export function taggingHeader(tags: readonly Tag[]): string | undefined {
  if (tags.length === 0) return undefined;
  return tags.map((t) => `${encodeURIComponent(t.Key ?? '')}=${encodeURIComponent(t.Value ?? '')}`).join('&');
}

export function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NotFound' || e?.name === 'NoSuchKey' || e?.$metadata?.httpStatusCode === 404;
}

export function isPreconditionFailed(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412;
}

/** Cancellation must end the activity, not be booked as a per-object failure. */
export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  const e = err as { name?: string };
  return Boolean(signal?.aborted) || e?.name === 'AbortError';
}

export function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string };
  return `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
}

const CHECKSUM_FIELDS = ['ChecksumCRC64NVME', 'ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumSHA1', 'ChecksumSHA256'] as const;

/** HEAD that returns undefined for a missing object and throws every other error. */
export async function headObject(deps: S3Deps, ref: ObjectRef, abortSignal?: AbortSignal): Promise<ObjectHead | undefined> {
  try {
    const raw = await deps.s3.send(new HeadObjectCommand({ Bucket: ref.bucket, Key: ref.key, ChecksumMode: 'ENABLED' }), { abortSignal });
    const fullObjectChecksums: Record<string, string> = {};
    // Only FULL_OBJECT checksums describe the bytes independently of how they were uploaded;
    // COMPOSITE ones depend on the part layout, so two copies of the same bytes can differ.
    if (raw.ChecksumType === 'FULL_OBJECT') {
      for (const field of CHECKSUM_FIELDS) {
        const value = raw[field];
        if (value) fullObjectChecksums[field] = value;
      }
    }
    return { size: raw.ContentLength ?? 0, etag: raw.ETag ?? '', fullObjectChecksums, raw };
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function getTags(deps: S3Deps, ref: ObjectRef, abortSignal?: AbortSignal): Promise<Tag[]> {
  const out = await deps.s3.send(new GetObjectTaggingCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal });
  return out.TagSet ?? [];
}

/** SHA-256 of an object's bytes, streamed (never buffered whole). */
export async function streamSha256(
  deps: S3Deps,
  ref: ObjectRef,
  abortSignal?: AbortSignal,
  onBytes?: (bytes: number) => void,
): Promise<string> {
  const out = await deps.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }), { abortSignal });
  const hash = createHash('sha256');
  const body = out.Body as AsyncIterable<Uint8Array> | undefined;
  if (body) {
    for await (const chunk of body) {
      hash.update(chunk);
      onBytes?.(chunk.length);
    }
  }
  return hash.digest('hex');
}

export type ContentVerdict = 'equal' | 'different' | 'unknown';

export interface ContentComparison {
  verdict: ContentVerdict;
  /** How the verdict was reached: 'size', 'etag', a checksum field name, or 'sha256-stream'. */
  by: string;
  detail?: string;
}

export interface CompareOptions {
  /** Largest object whose bytes we stream (twice) to compare when ETag and checksums cannot decide. */
  verifyStreamLimitBytes: number;
  abortSignal?: AbortSignal;
  onBytes?: (bytes: number) => void;
}

/**
 * Decides whether two objects hold the same bytes, cheapest evidence first:
 * size; equal ETags (same MD5, or same part MD5s); a FULL_OBJECT checksum both sides carry;
 * finally a streamed SHA-256 of both objects when they are under the stream limit.
 * Different ETags alone prove nothing: a multipart upload, a CopyObject of a multipart
 * source and SSE-KMS all give the same bytes a different ETag.
 */
export async function compareContents(
  deps: S3Deps,
  source: ObjectRef,
  sourceHead: ObjectHead,
  dest: ObjectRef,
  destHead: ObjectHead,
  options: CompareOptions,
): Promise<ContentComparison> {
  if (sourceHead.size !== destHead.size) {
    return { verdict: 'different', by: 'size', detail: `size ${destHead.size} != source size ${sourceHead.size}` };
  }
  if (sourceHead.etag && sourceHead.etag === destHead.etag) return { verdict: 'equal', by: 'etag' };
  for (const field of CHECKSUM_FIELDS) {
    const a = sourceHead.fullObjectChecksums[field];
    const b = destHead.fullObjectChecksums[field];
    if (a && b) {
      return a === b ? { verdict: 'equal', by: field } : { verdict: 'different', by: field, detail: `${field} ${b} != source ${a}` };
    }
  }
  if (sourceHead.size <= options.verifyStreamLimitBytes) {
    const [a, b] = await Promise.all([
      streamSha256(deps, source, options.abortSignal, options.onBytes),
      streamSha256(deps, dest, options.abortSignal, options.onBytes),
    ]);
    return a === b ? { verdict: 'equal', by: 'sha256-stream' } : { verdict: 'different', by: 'sha256-stream', detail: `sha256 ${b} != source ${a}` };
  }
  return {
    verdict: 'unknown',
    by: 'none',
    detail: `ETags differ (${destHead.etag} vs ${sourceHead.etag}), no common full-object checksum, and ${sourceHead.size} bytes exceed verifyStreamLimitBytes ${options.verifyStreamLimitBytes}`,
  };
}
