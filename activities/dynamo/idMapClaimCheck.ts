/**
 * The id map as a claim check: bulk inputs travel as an object in the consolidation
 * bucket addressed by its content hash, because a 100k-user map inline would break
 * Temporal's 2 MB payload limit. The object is JSON, an array of {oldId, newId};
 * its key is derived from the SHA-256 of its exact bytes, which the loader verifies.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, NotFound, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients';
import { createIdMap, type IdMap, type IdPair } from '../../src/idmap/types';

export interface IdMapClaimCheck {
  bucket: string;
  key: string;
  sha256: string;
}

/** Inline pairs for small maps, a claim check for big ones. */
export type IdMapInput = readonly IdPair[] | IdMapClaimCheck;

export class ClaimCheckIntegrityError extends Error {
  override name = 'ClaimCheckIntegrityError';
}

const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export const idMapObjectKey = (sha256: string): string => `amplify-migrate/idmaps/${sha256}.json`;

/** Stores the pairs (once: the key is content-addressed) and returns the claim check. */
export async function putIdMapClaimCheck(clients: AwsClients, bucket: string, pairs: readonly IdPair[]): Promise<IdMapClaimCheck> {
  const body = JSON.stringify(pairs.map(({ oldId, newId }) => ({ oldId, newId })));
  const sha256 = sha256Hex(body);
  const key = idMapObjectKey(sha256);
  const claim = { bucket, key, sha256 };
  try {
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    // Same content-addressed key, same length, same recorded hash: identical, nothing to put.
    if (head.ContentLength === Buffer.byteLength(body) && head.Metadata?.sha256 === sha256) return claim;
  } catch (err) {
    if (!(err instanceof NotFound)) throw err;
  }
  await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json', Metadata: { sha256 } }),
  );
  return claim;
}

/** Reads and verifies a claim check (no cache; see IdMapCache). */
export async function loadIdMapClaimCheck(clients: AwsClients, claim: IdMapClaimCheck, abortSignal?: AbortSignal): Promise<IdMap> {
  const object = await clients.s3.send(new GetObjectCommand({ Bucket: claim.bucket, Key: claim.key }), { abortSignal });
  const bytes = await object.Body!.transformToByteArray();
  const actual = sha256Hex(bytes);
  if (actual !== claim.sha256) {
    throw new ClaimCheckIntegrityError(`id map s3://${claim.bucket}/${claim.key}: sha256 ${actual}, expected ${claim.sha256}`);
  }
  const parsed: unknown = JSON.parse(Buffer.from(bytes).toString('utf8'));
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p?.oldId === 'string' && typeof p?.newId === 'string')) {
    throw new ClaimCheckIntegrityError(`id map s3://${claim.bucket}/${claim.key} is not an array of {oldId, newId}`);
  }
  return createIdMap(parsed as IdPair[]);
}

/**
 * Loaded maps by content hash: a worker process loads one map once however many
 * activities use it. Small, because a run uses one map; verified by hash, so the bucket
 * it came from does not matter.
 */
export class IdMapCache {
  private readonly loaded = new Map<string, Promise<IdMap>>();

  constructor(private readonly capacity = 4) {}

  async resolve(clients: AwsClients, input: IdMapInput): Promise<IdMap> {
    if (isClaimCheck(input)) return this.load(clients, input);
    return createIdMap(input);
  }

  /** No abort signal: the load is shared, one cancelled activity must not fail the others waiting on it. */
  private load(clients: AwsClients, claim: IdMapClaimCheck): Promise<IdMap> {
    let pending = this.loaded.get(claim.sha256);
    if (!pending) {
      pending = loadIdMapClaimCheck(clients, claim);
      // A failed load (network, cancellation) must not poison the cache for the next attempt.
      pending.catch(() => this.loaded.delete(claim.sha256));
      this.loaded.set(claim.sha256, pending);
      while (this.loaded.size > this.capacity) this.loaded.delete(this.loaded.keys().next().value!);
    }
    return pending;
  }
}

export function isClaimCheck(input: IdMapInput): input is IdMapClaimCheck {
  return !Array.isArray(input);
}
