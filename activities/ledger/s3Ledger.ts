/**
 * The ledger in S3: one JSON-lines object per `record` call (an activity page), under
 * `amplify-migrate/ledgers/{runId}/chunks/` in the consolidation bucket. Keys start with the
 * time of writing, so listing them in key order replays the run in the order it wrote
 * (writes to one item from different phases are seconds apart, far beyond clock skew).
 *
 * `record` resolves only once the PutObject succeeded: callers write after it (write-ahead).
 */
import { randomBytes } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import type { AwsClients } from '../aws/clients';
import { decodeChunk, encodeChunk } from '../../src/ledger/codec';
import { ledgerRunPrefix, type LedgerEntry, type LedgerLocation, type LedgerSink } from '../../src/ledger/types';

export const chunkPrefix = (runId: string): string => `${ledgerRunPrefix(runId)}chunks/`;

/** 20260101T120000.123Z: sortable, and free of characters that need care in a key. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '');
}

export interface LedgerCost {
  requests: number;
  bytes: number;
}

/** A sink for one activity attempt; `tag` names the writer in the chunk keys (for people reading the bucket). */
export function s3LedgerSink(clients: AwsClients, location: LedgerLocation, tag: string, cost?: LedgerCost): LedgerSink {
  const writer = `${tag.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 80)}-${randomBytes(4).toString('hex')}`;
  let sequence = 0;
  return {
    async record(entries: readonly LedgerEntry[]): Promise<void> {
      if (entries.length === 0) return;
      sequence += 1;
      const body = encodeChunk(entries);
      const key = `${chunkPrefix(location.runId)}${stamp(new Date())}-${writer}-${String(sequence).padStart(6, '0')}.jsonl`;
      await clients.s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
      if (cost) {
        cost.requests += 1;
        cost.bytes += Buffer.byteLength(body);
      }
    },
  };
}

/** Keys of a run's chunks in the order they were written. */
export async function listChunks(clients: AwsClients, location: LedgerLocation): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: chunkPrefix(location.runId), ContinuationToken: token }));
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

/** Every entry of a run, in the order written. */
export async function readLedger(clients: AwsClients, location: LedgerLocation): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const key of await listChunks(clients, location)) {
    const out = await clients.s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
    entries.push(...decodeChunk(await out.Body!.transformToString('utf8'), `s3://${location.bucket}/${key}`));
  }
  return entries;
}
