import {
  CopyObjectCommand,
  CreateBucketCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  UploadPartCopyCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { copyVerified, effectivePartSize, GiB, MiB } from '../../activities/s3/copy';
import { copyKeys, copyPairs, copyPrefix, type CopyTotals, type DestinationKeyFn } from '../../activities/s3/batch';
import { createObjectCopier, type PrefixCheckpoint } from '../../activities/s3/objectCopier';
import { encodeCopySource } from '../../activities/s3/objects';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const run = uniqueDepName('s3c');
let bucketCounter = 0;

async function newBucket(role: string): Promise<string> {
  const name = `${run}-${role}-${++bucketCounter}`;
  await clients.s3.send(new CreateBucketCommand({ Bucket: name }));
  return name;
}

interface Fixture {
  key: string;
  body: Buffer;
  contentType: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
}

function fixture(key: string, body: string | Buffer, extra: Partial<Fixture> = {}): Fixture {
  return {
    key,
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    contentType: 'application/json',
    metadata: { origin: 'seed', 'user-id': 'alice' },
    tags: { owner: 'alice', note: 'a b+c' },
    ...extra,
  };
}

async function put(bucket: string, f: Fixture): Promise<void> {
  const tagging = Object.entries(f.tags)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  await clients.s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: f.key, Body: f.body, ContentType: f.contentType, Metadata: f.metadata, Tagging: tagging || undefined }),
  );
}

interface Stored {
  body: Buffer;
  contentType?: string;
  metadata: Record<string, string>;
  tags: Record<string, string>;
  etag: string;
}

async function read(bucket: string, key: string): Promise<Stored> {
  const got = await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const body = Buffer.from(await got.Body!.transformToByteArray());
  const tagSet = (await clients.s3.send(new GetObjectTaggingCommand({ Bucket: bucket, Key: key }))).TagSet ?? [];
  return {
    body,
    contentType: got.ContentType,
    metadata: got.Metadata ?? {},
    tags: Object.fromEntries(tagSet.map((t) => [t.Key!, t.Value!])),
    etag: got.ETag ?? '',
  };
}

async function listKeys(bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys.sort();
}

async function expectSameObject(src: { bucket: string; key: string }, fixtureExpected: Fixture, dest: { bucket: string; key: string }): Promise<void> {
  const copied = await read(dest.bucket, dest.key);
  expect(copied.body.equals(fixtureExpected.body)).toBe(true);
  expect(copied.contentType).toBe(fixtureExpected.contentType);
  expect(copied.metadata).toEqual(fixtureExpected.metadata);
  expect(copied.tags).toEqual(fixtureExpected.tags);
  const original = await read(src.bucket, src.key);
  expect(original.body.equals(fixtureExpected.body)).toBe(true);
}

/** The mapping under test: alice's objects move under the consolidation prefix of her new id. */
const aliceToConsolidated: DestinationKeyFn = (key) => (key.startsWith('alice/') ? `conversations/alice-new/${key.slice('alice/'.length)}` : undefined);

const awkwardFixtures: Fixture[] = [
  fixture('alice/with space/c d.json', '{"space":true}'),
  fixture('alice/plus+sign+key', 'plus', { contentType: 'text/plain' }),
  fixture('alice/ünïcødé/日本語 ファイル.txt', 'unicode ✓', { contentType: 'text/plain; charset=utf-8' }),
  fixture('alice/100%/pct%20literal', 'percent'),
  fixture('alice/query?x=1#frag', 'query and hash'),
  fixture('alice/plain.json', '{"plain":1}', { metadata: {}, tags: {} }),
];
const otherUser = fixture('bob/keep-out.json', '{"bob":1}');
const mappedTotal = awkwardFixtures.reduce((n, f) => n + f.body.length, 0);

function totalsOf(t: CopyTotals & { cursor?: unknown; dryRun?: boolean }) {
  const { conflicts, failures, cursor: _cursor, dryRun: _dryRun, ...counts } = t;
  return { ...counts, conflicts: conflicts.length, failures: failures.length };
}

describe('copyPrefix on the moto server', () => {
  let source: string;

  beforeAll(async () => {
    source = await newBucket('src');
    for (const f of [...awkwardFixtures, otherUser]) await put(source, f);
  });

  it('copies every mapped object with identical bytes, content type, metadata and tags, keeps sources, and skips on a second run', async () => {
    const dest = await newBucket('dst');
    const first = await copyPrefix(clients, { sourceBucket: source, prefix: '', destBucket: dest, destinationKey: aliceToConsolidated, concurrency: 3 });
    expect(totalsOf(first)).toEqual({
      objectsListed: 7,
      objectsUnmapped: 1,
      objectsCopied: 6,
      objectsCopiedMultipart: 0,
      objectsSkipped: 0,
      bytesCopied: mappedTotal,
      conflictCount: 0,
      conflicts: 0,
      failureCount: 0,
      failures: 0,
      objectsArchived: 0,
    });
    expect(first.cursor).toBe('bob/keep-out.json');
    expect(await listKeys(dest)).toEqual(awkwardFixtures.map((f) => aliceToConsolidated(f.key)!).sort());
    for (const f of awkwardFixtures) {
      await expectSameObject({ bucket: source, key: f.key }, f, { bucket: dest, key: aliceToConsolidated(f.key)! });
    }
    expect(await listKeys(source)).toEqual([...awkwardFixtures, otherUser].map((f) => f.key).sort());

    const second = await copyPrefix(clients, { sourceBucket: source, prefix: 'alice/', destBucket: dest, destinationKey: aliceToConsolidated, concurrency: 3 });
    expect(totalsOf(second)).toMatchObject({ objectsListed: 6, objectsCopied: 0, objectsSkipped: 6, bytesCopied: 0, conflictCount: 0, failureCount: 0 });
  });

  it('reports a different existing destination as a conflict and leaves it untouched', async () => {
    const dest = await newBucket('dst');
    const occupied = aliceToConsolidated('alice/plain.json')!;
    await clients.s3.send(new PutObjectCommand({ Bucket: dest, Key: occupied, Body: 'written by the live app', ContentType: 'text/plain' }));
    // Same size as the source, different bytes: only a content comparison can tell.
    const sameSize = aliceToConsolidated('alice/plus+sign+key')!;
    await clients.s3.send(new PutObjectCommand({ Bucket: dest, Key: sameSize, Body: 'PLUS' }));

    const result = await copyPrefix(clients, { sourceBucket: source, prefix: 'alice/', destBucket: dest, destinationKey: aliceToConsolidated, concurrency: 2 });
    expect(result.objectsCopied).toBe(4);
    expect(result.conflictCount).toBe(2);
    expect(result.conflicts.map((c) => [c.source, c.destination]).sort()).toEqual(
      [
        ['alice/plain.json', occupied],
        ['alice/plus+sign+key', sameSize],
      ].sort(),
    );
    expect(result.conflicts.find((c) => c.source === 'alice/plus+sign+key')!.reason).toMatch(/sha256/);
    expect((await read(dest, occupied)).body.toString()).toBe('written by the live app');
    expect((await read(dest, sameSize)).body.toString()).toBe('PLUS');
  });

  it('dry run writes nothing and reports the same counts as the real run', async () => {
    const dest = await newBucket('dst');
    const big = fixture('alice/zz-big.bin', Buffer.alloc(11 * MiB, 7), { contentType: 'application/octet-stream' });
    const bigSource = await newBucket('src');
    for (const f of [...awkwardFixtures, big]) await put(bigSource, f);
    const request = {
      sourceBucket: bigSource,
      prefix: 'alice/',
      destBucket: dest,
      destinationKey: aliceToConsolidated,
      concurrency: 4,
      multipartThresholdBytes: 6 * MiB,
      partSizeBytes: 5 * MiB,
    };
    const dry = await copyPrefix(clients, { ...request, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(await listKeys(dest)).toEqual([]);
    expect(await clients.s3.send(new ListMultipartUploadsCommand({ Bucket: dest })).then((r) => r.Uploads ?? [])).toEqual([]);
    const real = await copyPrefix(clients, request);
    expect(totalsOf(dry)).toEqual(totalsOf(real));
    expect(totalsOf(real)).toMatchObject({ objectsCopied: 7, objectsCopiedMultipart: 1, bytesCopied: mappedTotal + 11 * MiB });
    expect(await listKeys(dest)).toHaveLength(7);
  });

  it('a dry run lists the destinations of a page once and HEADs only the taken ones, planning what the real run does', async () => {
    const dest = await newBucket('dst');
    // One destination taken by different bytes (a conflict), one by the identical object (a skip).
    const conflicting = aliceToConsolidated('alice/plain.json')!;
    await clients.s3.send(new PutObjectCommand({ Bucket: dest, Key: conflicting, Body: 'written by the live app' }));
    await put(dest, { ...awkwardFixtures[2], key: aliceToConsolidated(awkwardFixtures[2].key)! });
    // A neighbour whose key extends the common prefix: listed, never mistaken for one of ours.
    await clients.s3.send(new PutObjectCommand({ Bucket: dest, Key: 'conversations/alice-new-2/x', Body: 'someone else' }));
    const sent: string[] = [];
    const s3 = {
      send: (command: { constructor: { name: string } }, options?: unknown) => {
        sent.push(command.constructor.name);
        return (clients.s3.send as (c: unknown, o?: unknown) => Promise<unknown>).call(clients.s3, command, options);
      },
    } as unknown as S3Client;
    const request = { sourceBucket: source, prefix: 'alice/', destBucket: dest, destinationKey: aliceToConsolidated, concurrency: 2 };

    const dry = await copyPrefix({ s3 }, { ...request, dryRun: true });
    // The source listing, one listing of the destinations; then the two taken keys HEADed
    // (destination, then source to compare), and the differing one streamed to tell.
    expect(sent.filter((c) => c === 'ListObjectsV2Command')).toHaveLength(2);
    expect(sent.filter((c) => c === 'HeadObjectCommand')).toHaveLength(4);
    const real = await copyPrefix(clients, request);
    expect(totalsOf(dry)).toEqual(totalsOf(real));
    expect(totalsOf(real)).toMatchObject({ objectsListed: 6, objectsCopied: 4, objectsSkipped: 1, conflictCount: 1 });
  });

  it('resuming from the cursor of the last finished page does not re-copy finished objects', async () => {
    const src = await newBucket('src');
    const dest = await newBucket('dst');
    const items = Array.from({ length: 7 }, (_, i) => fixture(`alice/item-${i}.json`, `{"i":${i}}`));
    for (const f of items) await put(src, f);
    const cursors: string[] = [];
    const crash = new Error('worker crashed after the first page');
    await expect(
      copyPrefix(clients, {
        sourceBucket: src,
        prefix: 'alice/',
        destBucket: dest,
        destinationKey: aliceToConsolidated,
        concurrency: 2,
        pageSize: 3,
        onProgress: ({ cursor }) => {
          cursors.push(cursor);
          throw crash;
        },
      }),
    ).rejects.toBe(crash);
    expect(cursors).toEqual(['alice/item-2.json']);
    const firstPageEtags = await Promise.all(items.slice(0, 3).map((f) => read(dest, aliceToConsolidated(f.key)!).then((s) => s.etag)));
    expect(await listKeys(dest)).toEqual(items.slice(0, 3).map((f) => aliceToConsolidated(f.key)!));

    const resumed = await copyPrefix(clients, {
      sourceBucket: src,
      prefix: 'alice/',
      destBucket: dest,
      destinationKey: aliceToConsolidated,
      concurrency: 2,
      pageSize: 3,
      startAfter: cursors[0],
    });
    expect(totalsOf(resumed)).toMatchObject({ objectsListed: 4, objectsCopied: 4, objectsSkipped: 0 });
    expect(resumed.cursor).toBe('alice/item-6.json');
    expect(await listKeys(dest)).toEqual(items.map((f) => aliceToConsolidated(f.key)!).sort());
    expect(await Promise.all(items.slice(0, 3).map((f) => read(dest, aliceToConsolidated(f.key)!).then((s) => s.etag)))).toEqual(firstPageEtags);

    // Resuming from the middle of a page (a key inside it) re-examines only later keys; finished ones are skipped, not copied.
    const again = await copyPrefix(clients, { sourceBucket: src, prefix: 'alice/', destBucket: dest, destinationKey: aliceToConsolidated, startAfter: 'alice/item-4.json' });
    expect(totalsOf(again)).toMatchObject({ objectsListed: 2, objectsCopied: 0, objectsSkipped: 2 });
  });
});

describe('copyVerified on the moto server', () => {
  let source: string;
  const big = fixture('alice/big object ü+%.bin', Buffer.from(Array.from({ length: 11 * MiB }, (_, i) => (i * 31 + (i >> 10)) & 255)), {
    contentType: 'application/octet-stream',
    metadata: { kind: 'large' },
    tags: { size: 'eleven MiB' },
  });

  beforeAll(async () => {
    source = await newBucket('src');
    for (const f of [...awkwardFixtures, big]) await put(source, f);
  });

  it.each(awkwardFixtures.map((f) => [f.key, f] as const))('copies the awkward key %j with CopyObject', async (_key, f) => {
    const dest = await newBucket('dst');
    const destKey = `copied/${f.key}`;
    const result = await copyVerified(clients, { sourceBucket: source, sourceKey: f.key, destBucket: dest, destKey });
    // `written`: the copy's own ETag, which the ledger's intent already names (issue 12).
    expect(result).toEqual({ status: 'copied', bytes: f.body.length, method: 'copy-object', verifiedBy: 'etag', written: { etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) }, dryRun: false });
    await expectSameObject({ bucket: source, key: f.key }, f, { bucket: dest, key: destKey });
  });

  it('uses multipart UploadPartCopy above the threshold, verifies by SHA-256, and recognises the copy as identical later', async () => {
    const dest = await newBucket('dst');
    const request = {
      sourceBucket: source,
      sourceKey: big.key,
      destBucket: dest,
      destKey: 'conversations/new/big object ü+%.bin',
      multipartThresholdBytes: 6 * MiB,
      partSizeBytes: 5 * MiB,
    };
    const result = await copyVerified(clients, request);
    expect(result).toEqual({ status: 'copied', bytes: 11 * MiB, method: 'multipart', verifiedBy: 'sha256-stream', written: { etag: expect.stringMatching(/-3"$/) }, dryRun: false });
    const head = await clients.s3.send(new HeadObjectCommand({ Bucket: dest, Key: request.destKey }));
    expect(head.ETag).toMatch(/-3"$/);
    await expectSameObject({ bucket: source, key: big.key }, big, { bucket: dest, key: request.destKey });
    expect(await copyVerified(clients, request)).toEqual({ status: 'skipped-identical', bytes: 11 * MiB, verifiedBy: 'sha256-stream', dryRun: false });
    // Under the threshold the same object goes through a single CopyObject.
    const single = await copyVerified(clients, { ...request, destKey: 'single/big.bin', multipartThresholdBytes: 11 * MiB });
    expect(single).toMatchObject({ status: 'copied', method: 'copy-object', verifiedBy: 'etag' });
  });

  it('a copy that fails verification is reported as failed and its destination removed', async () => {
    const dest = await newBucket('dst');
    // Same size as alice/plus+sign+key ("plus"), different bytes: a copy that silently took the wrong bytes.
    await put(source, fixture('decoy', 'PLUS'));
    const corrupting = {
      send: (command: unknown, options?: unknown) => {
        if (command instanceof CopyObjectCommand) {
          command = new CopyObjectCommand({ ...command.input, CopySource: encodeCopySource(source, 'decoy'), CopySourceIfMatch: undefined });
        }
        return (clients.s3.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      },
    } as unknown as S3Client;
    const result = await copyVerified({ s3: corrupting }, { sourceBucket: source, sourceKey: 'alice/plus+sign+key', destBucket: dest, destKey: 'x' });
    expect(result.status).toBe('failed');
    expect(result.reason).toMatch(/^verification failed: sha256 .* removed the unverified destination$/);
    expect(await listKeys(dest)).toEqual([]);
  });

  it('a failing part aborts the multipart upload and leaves no destination', async () => {
    const dest = await newBucket('dst');
    let parts = 0;
    const failingSecondPart = {
      send: (command: unknown, options?: unknown) => {
        if (command instanceof UploadPartCopyCommand && ++parts === 2) return Promise.reject(Object.assign(new Error('part copy broke'), { name: 'InternalError' }));
        return (clients.s3.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
      },
    } as unknown as S3Client;
    const result = await copyVerified(
      { s3: failingSecondPart },
      { sourceBucket: source, sourceKey: big.key, destBucket: dest, destKey: 'big', multipartThresholdBytes: 6 * MiB, partSizeBytes: 5 * MiB },
    );
    expect(result).toEqual({ status: 'failed', bytes: 11 * MiB, reason: 'InternalError: part copy broke', dryRun: false });
    expect((await clients.s3.send(new ListMultipartUploadsCommand({ Bucket: dest }))).Uploads ?? []).toEqual([]);
    expect(await listKeys(dest)).toEqual([]);
    expect((await read(source, big.key)).body.equals(big.body)).toBe(true);
  });

  it('reports a missing source as failed and a dry run as copied without writing', async () => {
    const dest = await newBucket('dst');
    expect(await copyVerified(clients, { sourceBucket: source, sourceKey: 'alice/nope', destBucket: dest, destKey: 'nope' })).toEqual({
      status: 'failed',
      bytes: 0,
      reason: 'source object does not exist',
      dryRun: false,
    });
    expect(await copyVerified(clients, { sourceBucket: source, sourceKey: 'alice/plain.json', destBucket: dest, destKey: 'p', dryRun: true })).toEqual({
      status: 'copied',
      bytes: 11,
      method: 'copy-object',
      dryRun: true,
    });
    expect(await listKeys(dest)).toEqual([]);
  });

  /** The S3 client, recording the command names it sends; `answerLost` makes one CopyObject's answer get lost after it applied. */
  function recording(options: { answerLost?: boolean } = {}) {
    const sent: string[] = [];
    let lose = options.answerLost ?? false;
    const s3 = {
      send: async (command: { constructor: { name: string } }, sendOptions?: unknown) => {
        sent.push(command.constructor.name);
        const send = (clients.s3.send as (c: unknown, o?: unknown) => Promise<unknown>).bind(clients.s3);
        const answer = await send(command, sendOptions);
        if (lose && command instanceof CopyObjectCommand) {
          lose = false;
          // The SDK's own retry of the same request, as after a 500 whose request was applied.
          return send(command, sendOptions).catch((err: { $metadata?: { attempts?: number } }) => {
            throw Object.assign(err, { $metadata: { ...err.$metadata, attempts: 2 } });
          });
        }
        return answer;
      },
    } as unknown as S3Client;
    return { s3, sent };
  }

  /** alice/plain.json copied by CopyObject and verified by the ETag its answer carried. */
  const COPIED_PLAIN = {
    status: 'copied',
    bytes: 11,
    method: 'copy-object',
    verifiedBy: 'etag',
    written: { etag: expect.stringMatching(/^"[0-9a-f]{32}"$/) },
    dryRun: false,
  };

  it('one HEAD per copied object: the source HEAD, then the conditional copy whose ETag verifies it', async () => {
    const dest = await newBucket('dst');
    const { s3, sent } = recording();
    expect(await copyVerified({ s3 }, { sourceBucket: source, sourceKey: 'alice/plain.json', destBucket: dest, destKey: 'p' })).toEqual(COPIED_PLAIN);
    expect(sent).toEqual(['HeadObjectCommand', 'CopyObjectCommand']);
  });

  it('a dry run of a listed object HEADs only the destination', async () => {
    const dest = await newBucket('dst');
    const { s3, sent } = recording();
    const listed = { size: 11, etag: 'listed', storageClass: 'STANDARD' };
    expect(await copyVerified({ s3 }, { sourceBucket: source, sourceKey: 'alice/plain.json', destBucket: dest, destKey: 'p', dryRun: true, listed })).toEqual({
      status: 'copied',
      bytes: 11,
      method: 'copy-object',
      dryRun: true,
    });
    expect(sent).toEqual(['HeadObjectCommand']);
  });

  it('a taken destination is refused by the conditional copy, compared, and left untouched when different', async () => {
    const dest = await newBucket('dst');
    await put(dest, fixture('p', 'other'));
    const { s3, sent } = recording();
    const result = await copyVerified({ s3 }, { sourceBucket: source, sourceKey: 'alice/plain.json', destBucket: dest, destKey: 'p' });
    expect(result).toMatchObject({ status: 'conflict', bytes: 11 });
    expect(sent).toEqual(['HeadObjectCommand', 'CopyObjectCommand', 'HeadObjectCommand']);
    expect((await read(dest, 'p')).body.toString()).toBe('other');
  });

  it('a copy whose answer was lost and whose SDK retry is refused counts as copied, not as a destination already there', async () => {
    const dest = await newBucket('dst');
    const { s3 } = recording({ answerLost: true });
    expect(await copyVerified({ s3 }, { sourceBucket: source, sourceKey: 'alice/plain.json', destBucket: dest, destKey: 'p' })).toEqual(COPIED_PLAIN);
    await expectSameObject({ bucket: source, key: 'alice/plain.json' }, awkwardFixtures.find((f) => f.key === 'alice/plain.json')!, { bucket: dest, key: 'p' });
  });
});

describe('copyPairs and copyKeys', () => {
  it('copy explicit pairs and mapped key lists, reporting a list cursor', async () => {
    const src = await newBucket('src');
    const dest = await newBucket('dst');
    for (const f of awkwardFixtures) await put(src, f);
    const pairs = awkwardFixtures.slice(0, 3).map((f) => ({ source: f.key, destination: `pairs/${f.key}` }));
    const progress: number[] = [];
    const byPairs = await copyPairs(clients, { sourceBucket: src, destBucket: dest, pairs, chunkSize: 2, onProgress: ({ cursor }) => void progress.push(cursor) });
    expect(progress).toEqual([2, 3]);
    expect(totalsOf(byPairs)).toMatchObject({ objectsListed: 3, objectsCopied: 3 });
    expect(byPairs.cursor).toBe(3);

    const keys = [...awkwardFixtures.map((f) => f.key), 'bob/unmapped'];
    const byKeys = await copyKeys(clients, { sourceBucket: src, destBucket: dest, keys, destinationKey: aliceToConsolidated, startIndex: 2 });
    expect(totalsOf(byKeys)).toMatchObject({ objectsListed: 5, objectsCopied: 4, objectsUnmapped: 1, failureCount: 0 });
    expect(await listKeys(dest)).toEqual(
      [...pairs.map((p) => p.destination), ...awkwardFixtures.slice(2).map((f) => aliceToConsolidated(f.key)!)].sort(),
    );
  });
});

describe('multipart part sizing', () => {
  it('keeps parts within S3 limits: at least 5 MiB, at most 10,000 parts, at most 5 GiB', () => {
    expect(effectivePartSize(11 * MiB, 1 * MiB)).toBe(5 * MiB);
    expect(effectivePartSize(6 * GiB)).toBe(512 * MiB);
    expect(effectivePartSize(5 * 1024 * GiB)).toBe(Math.ceil((5 * 1024 * GiB) / 10_000));
    expect(effectivePartSize(6 * GiB, 8 * GiB)).toBe(5 * GiB);
  });
});

describe('batch reporting', () => {
  it('caps the listed conflicts and failures but counts them all; a throwing mapping fails only its key', async () => {
    const src = await newBucket('src');
    const dest = await newBucket('dst');
    for (const k of ['c/1', 'c/2', 'c/3', 'c/bad']) await put(src, fixture(k, `body of ${k}`));
    for (const k of ['c/1', 'c/2']) await clients.s3.send(new PutObjectCommand({ Bucket: dest, Key: `d/${k}`, Body: 'other' }));
    const destinationKey: DestinationKeyFn = (key) => {
      if (key.endsWith('bad')) throw new Error('no rule for this key');
      return `d/${key}`;
    };
    const result = await copyPrefix(clients, { sourceBucket: src, prefix: 'c/', destBucket: dest, destinationKey, maxReported: 1, concurrency: 1 });
    expect(totalsOf(result)).toEqual({
      objectsListed: 4,
      objectsUnmapped: 0,
      objectsCopied: 1,
      objectsCopiedMultipart: 0,
      objectsSkipped: 0,
      bytesCopied: 'body of c/3'.length,
      conflictCount: 2,
      conflicts: 1,
      failureCount: 1,
      failures: 1,
      objectsArchived: 0,
    });
    expect(result.conflicts[0]).toEqual({ source: 'c/1', destination: 'd/c/1', reason: 'destination exists with different content (size 5 != source size 11)' });
    expect(result.failures).toEqual([{ source: 'c/bad', destination: '', reason: 'destinationKey threw: Error: no rule for this key' }]);
    expect((await read(dest, 'd/c/1')).body.toString()).toBe('other');
  });
});

describe('the object copier in a MockActivityEnvironment', () => {
  let src: string;
  const items = Array.from({ length: 5 }, (_, i) => fixture(`alice/item-${i}.json`, `{"item":${i}}`));
  const resolveMapping = (id: string, params: Record<string, unknown>) => {
    if (id !== 'test-user-prefix') throw new Error(`unknown mapping ${id}`);
    const from = `${params.oldUser}/`;
    return (key: string) => (key.startsWith(from) ? `conversations/${params.newUser}/${key.slice(from.length)}` : undefined);
  };
  const mapping = { id: 'test-user-prefix', params: { oldUser: 'alice', newUser: 'alice-new' } };
  const activities = createObjectCopier(clients, { resolveMapping });

  beforeAll(async () => {
    src = await newBucket('src');
    for (const f of items) await put(src, f);
  });

  it('heartbeats the cursor and totals after every page', async () => {
    const dest = await newBucket('dst');
    const env = new MockActivityEnvironment();
    const beats: PrefixCheckpoint[] = [];
    env.on('heartbeat', (d: PrefixCheckpoint) => beats.push(d));
    const result = await runIn(env, activities.copyS3Prefix, { sourceBucket: src, destBucket: dest, prefix: 'alice/', mapping, pageSize: 2 });
    expect(result.objectsCopied).toBe(5);
    const cursors = [...new Set(beats.map((b) => b.cursor).filter((c) => c !== undefined))];
    expect(cursors).toEqual(['alice/item-1.json', 'alice/item-3.json', 'alice/item-4.json']);
    expect(beats[beats.length - 1]).toEqual({ kind: 'prefix', cursor: 'alice/item-4.json', totals: expect.objectContaining({ objectsCopied: 5 }) });
  });

  it('resumes from heartbeatDetails: earlier pages are neither listed nor copied again, and totals carry over', async () => {
    const dest = await newBucket('dst');
    const firstPage = await copyPairs(clients, {
      sourceBucket: src,
      destBucket: dest,
      pairs: items.slice(0, 2).map((f) => ({ source: f.key, destination: aliceToConsolidated(f.key)! })),
    });
    const { cursor: _ignored, dryRun: _dry, ...totals } = firstPage;
    const env = new MockActivityEnvironment({ heartbeatDetails: { kind: 'prefix', cursor: 'alice/item-1.json', totals } });
    const result = await runIn(env, activities.copyS3Prefix, { sourceBucket: src, destBucket: dest, prefix: 'alice/', mapping, pageSize: 2 });
    expect(totalsOf(result)).toMatchObject({ objectsListed: 5, objectsCopied: 5, objectsSkipped: 0 });
    expect(await listKeys(dest)).toEqual(items.map((f) => aliceToConsolidated(f.key)!));
  });

  it('stops when cancelled, after the page it was working on', async () => {
    const dest = await newBucket('dst');
    const env = new MockActivityEnvironment();
    env.on('heartbeat', (d: PrefixCheckpoint) => {
      if (d?.cursor === 'alice/item-1.json') env.cancel();
    });
    const error = await runIn(env, activities.copyS3Prefix, { sourceBucket: src, destBucket: dest, prefix: 'alice/', mapping, pageSize: 2 }).catch((e) => e);
    expect(error).toBeInstanceOf(CancelledFailure);
    expect(await listKeys(dest)).toEqual(items.slice(0, 2).map((f) => aliceToConsolidated(f.key)!));
  });

  it('copies a named-mapping key list and explicit pairs', async () => {
    const dest = await newBucket('dst');
    const keys = await runIn(env(), activities.copyS3Keys, { sourceBucket: src, destBucket: dest, keys: items.map((f) => f.key), mapping });
    expect(keys).toMatchObject({ objectsCopied: 5, cursor: 5 });
    const pairs = await runIn(env(), activities.copyS3Pairs, { sourceBucket: src, destBucket: dest, pairs: [{ source: items[0].key, destination: 'explicit/0.json' }] });
    expect(pairs).toMatchObject({ objectsCopied: 1, cursor: 1 });
    expect(await listKeys(dest)).toEqual(['explicit/0.json', ...items.map((f) => aliceToConsolidated(f.key)!)].sort());
  });
});

function env(): MockActivityEnvironment {
  return new MockActivityEnvironment();
}

/** MockActivityEnvironment.run does not infer the result type from the function. */
function runIn<A extends unknown[], R>(environment: MockActivityEnvironment, fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return environment.run(fn, ...args) as Promise<R>;
}
