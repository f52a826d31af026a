/**
 * What the source's storage means for a copy: an archived source S3 cannot copy until it is
 * restored, and the storage class and encryption every copy keeps (issue 10 §3).
 */
import type { HeadObjectCommandOutput, ServerSideEncryption, StorageClass } from '@aws-sdk/client-s3';

const ARCHIVE_CLASSES: ReadonlySet<string> = new Set(['GLACIER', 'DEEP_ARCHIVE']);

/**
 * A listed storage class whose objects may be unreadable: archive classes, and
 * Intelligent-Tiering (its archive tiers show only in a HEAD's ArchiveStatus).
 */
export function isArchiveClass(storageClass: string | undefined): boolean {
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
