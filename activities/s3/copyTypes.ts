/**
 * What one verified S3 copy (./copy.ts) is asked and what it answers, the limits that choose
 * its request path, and the context its steps share.
 */
import type { CompareOptions, ObjectRef, S3Deps } from './objects';

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
/** CopyObject's own limit (5 GB). */
export const DEFAULT_MULTIPART_THRESHOLD_BYTES = 5 * GiB;
export const DEFAULT_PART_SIZE_BYTES = 512 * MiB;
/** Covers every object the default multipart threshold sends down the multipart path up to 50 GiB. */
export const DEFAULT_VERIFY_STREAM_LIMIT_BYTES = 50 * GiB;

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
  /** A dry run's listing of the destinations showed this key free: no HEAD of it (./destinationListing.ts). */
  destinationFree?: boolean;
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

/** One copy's context, passed to the steps below. */
export interface CopyAt {
  deps: S3Deps;
  request: CopyRequest;
  runtime: CopyRuntime;
  source: ObjectRef;
  dest: ObjectRef;
  compareOptions: CompareOptions;
  dryRun: boolean;
}

export function copyMethod(bytes: number, request: CopyRequest): CopyMethod {
  return bytes > (request.multipartThresholdBytes ?? DEFAULT_MULTIPART_THRESHOLD_BYTES) ? 'multipart' : 'copy-object';
}
