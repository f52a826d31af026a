/** S3 reads and writes of the conversions: a missing object is an answer, not an exception. */
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, NoSuchBucket, PutObjectCommand } from '@aws-sdk/client-s3';
import type { WriteAhead } from '../ledger/writeAhead';
import type { AwsClients } from '../aws/clients';
import { headObject, isNotFound } from '../s3/objects';

/** The object's body as text, or undefined when the object (or its bucket) does not exist. */
export async function readObjectText(clients: AwsClients, bucket: string, key: string, abortSignal?: AbortSignal): Promise<string | undefined> {
  try {
    const object = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
    return (await object.Body?.transformToString('utf-8')) ?? '';
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function objectExists(clients: AwsClients, bucket: string, key: string, abortSignal?: AbortSignal): Promise<boolean> {
  return (await headObject(clients, { bucket, key }, abortSignal)) !== undefined;
}

export type ArchiveOutcome = 'written' | 'unchanged' | 'conflict';

/**
 * Puts a scheduled-task log archive unless its key is taken: the same body → unchanged (or
 * written, when this very put's lost answer or a killed predecessor of this attempt wrote it:
 * the plan's write); a different body (the service archived that execution itself) →
 * conflict, kept as it is. IfNoneMatch makes the put itself refuse to replace an object
 * written in between.
 */
export async function putArchiveIfAbsent(
  clients: AwsClients,
  bucket: string,
  key: string,
  body: string,
  dryRun: boolean,
  abortSignal?: AbortSignal,
  ledger?: WriteAhead,
): Promise<ArchiveOutcome> {
  // Write-ahead (issue 12): a single-request put's ETag is the MD5 of its body, known before the put.
  const etag = `"${createHash('md5').update(body).digest('hex')}"`;
  // Already there with our bytes: a killed predecessor of this attempt put it (its intent says
  // so), which is the plan's write; otherwise it was there before (a re-run, the service).
  const found = async (text: string | undefined): Promise<ArchiveOutcome> =>
    text !== body ? 'conflict' : (await ledger?.earlierObject(bucket, key, etag)) ? 'written' : 'unchanged';
  const existing = await readObjectText(clients, bucket, key, abortSignal);
  if (existing !== undefined) return found(existing);
  if (dryRun) return 'written';
  await ledger?.before({ kind: 'object', bucket, key, etag, confirmed: false });
  try {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', IfNoneMatch: '*' }),
      { abortSignal },
    );
    return 'written';
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
    if (e?.name === 'PreconditionFailed' || e?.$metadata?.httpStatusCode === 412 || e?.$metadata?.httpStatusCode === 409) {
      const now = await readObjectText(clients, bucket, key, abortSignal);
      // The SDK retried this very put (its first answer was lost) and found our bytes: ours.
      if ((e.$metadata?.attempts ?? 1) > 1 && now === body) return 'written';
      return found(now);
    }
    throw err;
  }
}

export interface ListedObject {
  key: string;
  /** Epoch seconds of the object's LastModified (0 when S3 gave none). */
  lastModifiedSeconds: number;
}

/** Every object under `prefix`, all pages; a bucket that does not exist holds nothing. */
export async function listObjects(clients: AwsClients, bucket: string, prefix: string, abortSignal?: AbortSignal): Promise<ListedObject[]> {
  const out: ListedObject[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal });
      for (const o of page.Contents ?? []) {
        if (o.Key !== undefined) out.push({ key: o.Key, lastModifiedSeconds: o.LastModified ? Math.floor(o.LastModified.getTime() / 1000) : 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  } catch (err) {
    if (err instanceof NoSuchBucket || (err as { name?: string }).name === 'NoSuchBucket') return [];
    throw err;
  }
  return out;
}
