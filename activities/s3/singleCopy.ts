/**
 * The common path of a copy: one conditional CopyObject (If-None-Match: * refuses a taken
 * destination, CopySourceIfMatch a source changed since its HEAD), and what a refused
 * conditional write (412) tells, shared with the multipart path.
 */
import { CopyObjectCommand } from '@aws-sdk/client-s3';
import { encodeCopySource, isPreconditionFailed, type ObjectHead, type ObjectRef, type S3Deps } from './objects';
import { preservedStorage } from './sourceStorage';

/** S3 refused a conditional write (412). `ownRetry`: the SDK had already sent this request once. */
export interface Refused {
  kind: 'refused';
  ownRetry: boolean;
}
export type WriteOutcome = { kind: 'written'; etag?: string; versionId?: string } | Refused;

export function refused(err: unknown): Refused | undefined {
  if (!isPreconditionFailed(err)) return undefined;
  return { kind: 'refused', ownRetry: ((err as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1) > 1 };
}

export async function singleCopy(deps: S3Deps, source: ObjectRef, sourceHead: ObjectHead, dest: ObjectRef, abortSignal?: AbortSignal): Promise<WriteOutcome> {
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
