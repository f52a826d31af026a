/**
 * The ledger in S3: one JSON-lines object per `record` call (an activity page), under
 * `amplify-migrate/ledgers/{runId}/chunks/` in the consolidation bucket, named
 * `{time}-{activity}-a{attempt}-{random}-{sequence}.jsonl`. Keys start with the time of
 * writing, so listing them in key order replays the run in the order it wrote (writes to one
 * item from different phases are seconds apart, far beyond clock skew); the activity part
 * lets a retried attempt find what its killed predecessors recorded.
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

/**
 * Who writes a chunk: one activity (workflow and activity id, the same for all its attempts)
 * and the attempt. A retried attempt finds its predecessors' chunks by the activity part.
 */
export interface LedgerWriter {
  /** Names the activity, stable across attempts (`rewriteUserTables-run-u3-7`). */
  activity: string;
  attempt: number;
  /** When the activity was first scheduled (epoch ms): earlier attempts' chunks are not older. */
  scheduledMs?: number;
}

/**
 * Workers' clocks may disagree: a retried attempt looks this far before the activity's
 * scheduled time for its predecessors' chunks (their keys start with their workers' clocks).
 */
const CLOCK_SKEW_MS = 10 * 60_000;

const safeTag = (text: string) => text.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 160);
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A sink for one activity attempt (a bare string names a one-off writer: tests, the revert's markers). */
export function s3LedgerSink(clients: AwsClients, location: LedgerLocation, writer: LedgerWriter | string, cost?: LedgerCost): LedgerSink {
  const who: LedgerWriter = typeof writer === 'string' ? { activity: writer, attempt: 1 } : writer;
  const activity = safeTag(who.activity);
  const own = `${activity}-a${who.attempt}-${randomBytes(4).toString('hex')}`;
  // `{stamp}-{activity}-a{attempt}-{8 hex}-{sequence}.jsonl`: any attempt of this activity.
  const ofThisActivity = new RegExp(`^[0-9T.Z]+-${escapeRegExp(activity)}-a\\d+-[0-9a-f]{8}-\\d{6}\\.jsonl$`);
  const prefix = chunkPrefix(location.runId);
  let sequence = 0;
  /** The newest chunk key this attempt started or read back: the mark a checkpoint keeps. */
  let newest: string | undefined;
  const advance = (key: string) => {
    if (newest === undefined || key > newest) newest = key;
  };
  const sink: LedgerSink = {
    async record(entries: readonly LedgerEntry[]): Promise<void> {
      if (entries.length === 0) return;
      sequence += 1;
      const body = encodeChunk(entries);
      const key = `${prefix}${stamp(new Date())}-${own}-${String(sequence).padStart(6, '0')}.jsonl`;
      // Started counts: entries recorded after a checkpoint go in chunks started after it.
      advance(key);
      await clients.s3.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: body, ContentType: 'application/x-ndjson' }));
      if (cost) {
        cost.requests += 1;
        cost.bytes += Buffer.byteLength(body);
      }
    },
    mark: () => newest,
  };
  if (who.attempt > 1) {
    sink.earlierAttempts = async (mark) => {
      // The checkpoint's counts cover everything up to its mark: so do this attempt's, even if
      // it finds nothing after it (else its own checkpoint would have no mark, and a next retry
      // would count again what came before).
      if (mark) advance(mark);
      const since = mark ?? `${prefix}${stamp(new Date((who.scheduledMs ?? Date.now()) - CLOCK_SKEW_MS))}`;
      const keys = (await listChunks(clients, location, since)).filter((key) => ofThisActivity.test(key.slice(prefix.length)));
      const entries: LedgerEntry[] = [];
      for (const key of keys) {
        entries.push(...(await readChunk(clients, location.bucket, key)));
        // What the retry counts from these is in its next checkpoint: the mark moves past them.
        advance(key);
      }
      return entries;
    };
  }
  return sink;
}

/** Keys of a run's chunks in the order they were written (after `startAfter`, when given). */
export async function listChunks(clients: AwsClients, location: LedgerLocation, startAfter?: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: location.bucket, Prefix: chunkPrefix(location.runId), ContinuationToken: token, StartAfter: token ? undefined : startAfter }),
    );
    for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.sort();
}

async function readChunk(clients: AwsClients, bucket: string, key: string): Promise<LedgerEntry[]> {
  const out = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return decodeChunk(await out.Body!.transformToString('utf8'), `s3://${bucket}/${key}`);
}

/** Every entry of a run, in the order written. */
export async function readLedger(clients: AwsClients, location: LedgerLocation): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for (const key of await listChunks(clients, location)) entries.push(...(await readChunk(clients, location.bucket, key)));
  return entries;
}
