/**
 * The emulator must isolate transactions as DynamoDB does. moto's threaded server does not:
 * a cancelled TransactWriteItems restores its snapshot of the table over what concurrent
 * requests wrote (the "item left at its old key under faults" of the chaos run: every
 * retried lost-answer move is a cancelled transaction). The local stack serialises moto's
 * requests (scripts/moto_serial_server.py); this test holds it to that, to S3's conditional
 * copy (moto ignores If-None-Match on CopyObject; the copy engine relies on it), and to the
 * same answers from the server's cheaper partition queries, scans, item serialisation, prefix
 * listings and condition parses, and to connections kept open between requests, as S3's are.
 */
import {
  BatchGetItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import http from 'node:http';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mapWithConcurrency } from '../../activities/concurrency';
import { scanAll } from '../support/emulator';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const ITEMS = 60;

/** A table keyed by the string PK, and the string SK too when asked. */
async function createTable(name: string, options: { withSortKey?: boolean } = {}): Promise<void> {
  const keys = options.withSortKey ? ['PK', 'SK'] : ['PK'];
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: keys.map((k, i) => ({ AttributeName: k, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
      AttributeDefinitions: keys.map((k) => ({ AttributeName: k, AttributeType: 'S' })),
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

it('concurrent moves all survive transactions that are cancelled beside them', async () => {
  const table = `${uniqueDepName('iso')}-moves`;
  await createTable(table);
  for (let i = 0; i < ITEMS; i++) await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: `old-${i}` }, n: { N: String(i) } } }));

  const move = (i: number) =>
    clients.dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { PK: { S: `new-${i}` }, n: { N: String(i) } }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Delete: { TableName: table, Key: { PK: { S: `old-${i}` } }, ConditionExpression: 'attribute_exists(PK)' } },
        ],
      }),
    );
  // Cancelled on purpose: its condition can never hold.
  const cancelled = (i: number) =>
    clients.dynamo
      .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { PK: { S: `never-${i}` } }, ConditionExpression: 'attribute_exists(PK)' } }] }))
      .then(
        () => 'applied',
        (err: { name?: string }) => err.name,
      );
  const outcomes = await mapWithConcurrency(
    Array.from({ length: ITEMS * 2 }, (_, j) => j),
    16,
    async (j) => (j % 2 === 0 ? (await move(j / 2), 'moved') : cancelled((j - 1) / 2)),
  );
  expect(outcomes.filter((o) => o === 'moved')).toHaveLength(ITEMS);
  expect(outcomes.filter((o) => o === 'TransactionCanceledException')).toHaveLength(ITEMS);

  const keys = (await scanAll(clients, table)).map((item) => ('S' in item.PK ? item.PK.S : '')).sort();
  expect(keys).toEqual(Array.from({ length: ITEMS }, (_, i) => `new-${i}`).sort());
});

it('a transaction of 100 actions on one table applies all of them, or (cancelled by its last) none', async () => {
  // The server undoes a cancelled transaction from a journal of the items it wrote, not from a copy of the table.
  const table = `${uniqueDepName('iso')}-batch`;
  await createTable(table);
  for (let i = 0; i < 100; i++) await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: `old-${i}` }, n: { N: String(i) } } }));
  const moves = (from: number, to: number, lastHolds: boolean) =>
    Array.from({ length: to - from }, (_, k) => from + k).flatMap((i) => [
      { Put: { TableName: table, Item: { PK: { S: `new-${i}` }, n: { N: String(i) } }, ConditionExpression: 'attribute_not_exists(PK)' } },
      {
        Delete: {
          TableName: table,
          Key: { PK: { S: `old-${i}` } },
          ConditionExpression: i === to - 1 && !lastHolds ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
        },
      },
    ]);
  const before = await scanAll(clients, table);

  await expect(clients.dynamo.send(new TransactWriteItemsCommand({ TransactItems: moves(0, 50, false) }))).rejects.toMatchObject({ name: 'TransactionCanceledException' });
  expect(await scanAll(clients, table)).toEqual(before);

  await clients.dynamo.send(new TransactWriteItemsCommand({ TransactItems: moves(0, 50, true) }));
  const keys = (await scanAll(clients, table)).map((item) => ('S' in item.PK ? item.PK.S : '')).sort();
  expect(keys).toEqual([...Array.from({ length: 50 }, (_, i) => `new-${i}`), ...Array.from({ length: 50 }, (_, i) => `old-${i + 50}`)].sort());
});

it('a cancelled transaction of an update, a put over an item and a delete, on two tables, leaves both exactly as they were', async () => {
  const name = uniqueDepName('iso');
  const hashOnly = `${name}-hash`;
  const ranged = `${name}-range`;
  await createTable(hashOnly);
  await createTable(ranged, { withSortKey: true });
  // Typed values of every kind a service stores, so a restore that loses a type shows.
  const typed = { n: { N: '1.50' }, b: { B: new Uint8Array([0, 1, 2]) }, l: { L: [{ S: 'x' }, { N: '2' }, { NULL: true }] }, m: { M: { ss: { SS: ['a', 'b'] }, t: { BOOL: true } } } };
  await clients.dynamo.send(new PutItemCommand({ TableName: hashOnly, Item: { PK: { S: 'kept' }, ...typed } }));
  await clients.dynamo.send(new PutItemCommand({ TableName: ranged, Item: { PK: { S: 'u' }, SK: { S: 'a' }, ...typed } }));
  await clients.dynamo.send(new PutItemCommand({ TableName: ranged, Item: { PK: { S: 'u' }, SK: { S: 'b' }, ...typed } }));
  const before = { hash: await scanAll(clients, hashOnly), range: await scanAll(clients, ranged) };

  await expect(
    clients.dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: ranged, Key: { PK: { S: 'u' }, SK: { S: 'a' } }, UpdateExpression: 'SET n = :n REMOVE l', ExpressionAttributeValues: { ':n': { N: '9' } } } },
          { Put: { TableName: hashOnly, Item: { PK: { S: 'kept' }, other: { S: 'overwritten' } } } },
          { Delete: { TableName: ranged, Key: { PK: { S: 'u' }, SK: { S: 'b' } } } },
          { Put: { TableName: hashOnly, Item: { PK: { S: 'created' } } } },
          // Cancels the whole transaction: the key does not exist.
          { ConditionCheck: { TableName: hashOnly, Key: { PK: { S: 'absent' } }, ConditionExpression: 'attribute_exists(PK)' } },
        ],
      }),
    ),
  ).rejects.toMatchObject({ name: 'TransactionCanceledException' });
  expect({ hash: await scanAll(clients, hashOnly), range: await scanAll(clients, ranged) }).toEqual(before);
});

it('a query by partition key answers that partition, in range-key order, page by page, as before the server read only the partition', async () => {
  const name = uniqueDepName('iso');
  const ranged = `${name}-q-range`;
  const hashOnly = `${name}-q-hash`;
  await createTable(ranged, { withSortKey: true });
  await createTable(hashOnly);
  // Partitions whose ids are prefixes of each other, non-ASCII and '+', written out of order.
  const partitions = ['alice', 'alice2', 'al+ice', 'ålice'];
  for (const sk of ['c', 'a', 'é', 'b', 'B']) {
    for (const pk of partitions) await clients.dynamo.send(new PutItemCommand({ TableName: ranged, Item: { PK: { S: pk }, SK: { S: sk }, v: { S: `${pk}:${sk}` } } }));
  }
  for (const pk of partitions) await clients.dynamo.send(new PutItemCommand({ TableName: hashOnly, Item: { PK: { S: pk }, v: { N: '1' } } }));

  const queryAll = async (table: string, pk: string, limit?: number) => {
    const pages: string[][] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await clients.dynamo.send(
        new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': { S: pk } }, Limit: limit, ExclusiveStartKey: start }),
      );
      pages.push((page.Items ?? []).map((i) => `${i.PK.S}|${i.SK?.S ?? ''}`));
      start = page.LastEvaluatedKey;
    } while (start);
    return pages;
  };
  for (const pk of partitions) {
    expect(await queryAll(ranged, pk)).toEqual([['B', 'a', 'b', 'c', 'é'].map((sk) => `${pk}|${sk}`)]);
    expect((await queryAll(ranged, pk, 2)).flat()).toEqual(['B', 'a', 'b', 'c', 'é'].map((sk) => `${pk}|${sk}`));
    expect(await queryAll(hashOnly, pk)).toEqual([[`${pk}|`]]);
  }
  expect(await queryAll(ranged, 'nobody')).toEqual([[]]);
  expect(await queryAll(hashOnly, 'nobody')).toEqual([[]]);
});

it('an index query answers the items of that index key, in index range-key order, page by page', async () => {
  const table = `${uniqueDepName('iso')}-q-index`;
  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: table,
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
      AttributeDefinitions: [
        { AttributeName: 'PK', AttributeType: 'S' },
        { AttributeName: 'user', AttributeType: 'S' },
        { AttributeName: 'at', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'UserIndex',
          KeySchema: [
            { AttributeName: 'user', KeyType: 'HASH' },
            { AttributeName: 'at', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  // Item keys in the opposite order of their index range keys; one item outside the index (no `at`).
  const ats = ['2026-05', '2026-01', '2026-04', '2026-02', '2026-03'];
  for (const [i, at] of ats.entries()) {
    for (const user of ['alice', 'alice2']) await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: `${user}-${9 - i}` }, user: { S: user }, at: { S: at } } }));
  }
  await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: 'alice-unindexed' }, user: { S: 'alice' } } }));
  for (const limit of [undefined, 2]) {
    const seen: string[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await clients.dynamo.send(
        new QueryCommand({ TableName: table, IndexName: 'UserIndex', KeyConditionExpression: '#u = :u', ExpressionAttributeNames: { '#u': 'user' }, ExpressionAttributeValues: { ':u': { S: 'alice' } }, Limit: limit, ExclusiveStartKey: start }),
      );
      seen.push(...(page.Items ?? []).map((i) => i.at.S!));
      start = page.LastEvaluatedKey;
    } while (start);
    expect(seen).toEqual([...ats].sort());
  }
});

it('items come back exactly as they were put, typed values of every kind, by GetItem, BatchGetItem, Query and Scan', async () => {
  // The server writes attribute values without binary data straight to JSON and leaves those
  // with binary data (B, BS, at any depth) to moto's own serialiser: both must answer the item.
  const table = `${uniqueDepName('iso')}-typed`;
  await createTable(table, { withSortKey: true });
  const items: Record<string, AttributeValue>[] = [
    {
      PK: { S: 'plain' },
      SK: { S: '1' },
      n: { N: '1.50' },
      empty: { S: '' },
      ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.5'] },
      nul: { NULL: true },
      no: { BOOL: false },
      m: { M: { l: { L: [{ S: 'q' }, { N: '3' }, { M: {} }, { L: [] }, { BOOL: true }] }, é: { S: 'ü+/%' } } },
    },
    { PK: { S: 'binary' }, SK: { S: '2' }, b: { B: new Uint8Array([0, 1, 255]) }, bs: { BS: [new Uint8Array([97]), new Uint8Array([254])] } },
    { PK: { S: 'nested-binary' }, SK: { S: '3' }, m: { M: { deep: { M: { b: { B: new Uint8Array([122, 0]) } } }, s: { S: 'x' } } }, l: { L: [{ S: 'y' }, { B: new Uint8Array([1]) }] } },
  ];
  for (const item of items) await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: item }));
  const keyOf = (item: Record<string, AttributeValue>) => ({ PK: item.PK, SK: item.SK });
  const byKey = (a: Record<string, AttributeValue>, b: Record<string, AttributeValue>) => (a.PK.S! < b.PK.S! ? -1 : 1);

  for (const item of items) {
    expect((await clients.dynamo.send(new GetItemCommand({ TableName: table, Key: keyOf(item), ConsistentRead: true }))).Item).toEqual(item);
    const queried = await clients.dynamo.send(new QueryCommand({ TableName: table, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': item.PK } }));
    expect(queried.Items).toEqual([item]);
  }
  const batch = await clients.dynamo.send(new BatchGetItemCommand({ RequestItems: { [table]: { Keys: items.map(keyOf), ConsistentRead: true } } }));
  expect([...(batch.Responses?.[table] ?? [])].sort(byKey)).toEqual([...items].sort(byKey));
  expect([...(await scanAll(clients, table))].sort(byKey)).toEqual([...items].sort(byKey));
});

it('a paged, segmented scan answers the table as it is now, after puts, updates and deletes since the last scan and between its pages', async () => {
  // The server keeps a table's sorted items while the table holds the same item objects.
  const table = `${uniqueDepName('iso')}-scans`;
  await createTable(table, { withSortKey: true });
  const put = (pk: string, sk: string, v: string) => clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: pk }, SK: { S: sk }, v: { S: v } } }));
  const current = new Map<string, string>();
  const write = async (pk: string, sk: string, v: string) => {
    await put(pk, sk, v);
    current.set(`${pk}|${sk}`, v);
  };
  const remove = async (pk: string, sk: string) => {
    await clients.dynamo.send(new DeleteItemCommand({ TableName: table, Key: { PK: { S: pk }, SK: { S: sk } } }));
    current.delete(`${pk}|${sk}`);
  };
  const scanned = async (between?: (page: number) => Promise<void>) => {
    const seen: string[] = [];
    let page = 0;
    for (let segment = 0; segment < 4; segment++) {
      let start: Record<string, AttributeValue> | undefined;
      do {
        const answer = await clients.dynamo.send(new ScanCommand({ TableName: table, Segment: segment, TotalSegments: 4, Limit: 7, ExclusiveStartKey: start, ConsistentRead: true }));
        for (const item of answer.Items ?? []) seen.push(`${item.PK.S}|${item.SK.S}=${item.v.S}`);
        start = answer.LastEvaluatedKey;
        await between?.(page++);
      } while (start);
    }
    return seen.sort();
  };
  const now = () => [...current].map(([key, v]) => `${key}=${v}`).sort();

  for (let i = 0; i < 40; i++) await write(`user${i % 9}+é`, `item#${i}`, 'first');
  expect(await scanned()).toEqual(now());
  // Changes after a scan: the next one sees them all.
  await write('user1+é', 'item#1', 'overwritten');
  await write('user10', 'item#new', 'new');
  await remove('user2+é', 'item#2');
  await clients.dynamo.send(
    new UpdateItemCommand({ TableName: table, Key: { PK: { S: 'user3+é' }, SK: { S: 'item#3' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'updated' } } }),
  );
  current.set('user3+é|item#3', 'updated');
  expect(await scanned()).toEqual(now());
  // Changes between pages: an item that was never touched is answered exactly once.
  const untouched = now().filter((entry) => !entry.startsWith('user4+é|') && !entry.startsWith('user5+é|'));
  const during = await scanned(async (page) => {
    if (page === 2) await remove('user4+é', 'item#4');
    if (page === 5) await write('user5+é', 'item#5', 'rewritten');
  });
  for (const entry of untouched) expect(during.filter((e) => e === entry)).toHaveLength(1);
  expect(new Set(during).size).toBe(during.length);
  expect(await scanned()).toEqual(now());
});

it('a condition decides by its own names and values against the item as it is now, each time; one that does not parse is refused each time', async () => {
  // The server parses each condition once and reuses the tree for the same text, names and values.
  const table = `${uniqueDepName('iso')}-conditions`;
  await createTable(table);
  await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: 'k' }, v: { S: 'a' }, w: { S: 'b' } } }));
  const setV = (next: string, expected: string, attribute = 'v') =>
    clients.dynamo
      .send(
        new UpdateItemCommand({
          TableName: table,
          Key: { PK: { S: 'k' } },
          UpdateExpression: 'SET v = :next',
          ConditionExpression: '#a = :expected',
          ExpressionAttributeNames: { '#a': attribute },
          ExpressionAttributeValues: { ':next': { S: next }, ':expected': { S: expected } },
        }),
      )
      .then(
        () => 'applied',
        (err: { name?: string }) => err.name,
      );
  const inTransaction = (expected: string, attribute: string) =>
    clients.dynamo
      .send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: table, Item: { PK: { S: 'other' } }, ConditionExpression: 'attribute_not_exists(PK)' } },
            { ConditionCheck: { TableName: table, Key: { PK: { S: 'k' } }, ConditionExpression: '#a = :expected', ExpressionAttributeNames: { '#a': attribute }, ExpressionAttributeValues: { ':expected': { S: expected } } } },
          ],
        }),
      )
      .then(
        () => 'applied',
        (err: { name?: string }) => err.name,
      );

  expect(await setV('b', 'a')).toBe('applied');
  // The same text, names and values: the item changed, so it no longer holds.
  expect(await setV('c', 'a')).toBe('ConditionalCheckFailedException');
  // The same text and names with other values, then other names.
  expect(await setV('c', 'b')).toBe('applied');
  expect(await setV('d', 'a', 'w')).toBe('ConditionalCheckFailedException');
  expect(await setV('d', 'b', 'w')).toBe('applied');
  expect(await inTransaction('c', 'v')).toBe('TransactionCanceledException');
  expect(await inTransaction('d', 'v')).toBe('applied');
  // moto refuses an expression it cannot parse with a server error (stock moto too); the put must not happen, either time.
  for (let i = 0; i < 2; i++) {
    await expect(
      clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: 'k' } }, ConditionExpression: 'v = = :x', ExpressionAttributeValues: { ':x': { S: 'd' } } })),
    ).rejects.toThrow();
  }
  const item = await clients.dynamo.send(new GetItemCommand({ TableName: table, Key: { PK: { S: 'k' } }, ConsistentRead: true }));
  expect(item.Item).toEqual({ PK: { S: 'k' }, v: { S: 'd' }, w: { S: 'b' } });
});

it('a listing by prefix answers the keys under it, in UTF-8 byte order, page by page, after overwrites and deletes', async () => {
  // The server hands moto only the keys in the prefix's range of its sorted names.
  const bucket = `${uniqueDepName('iso')}-list`.toLowerCase();
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const users = ['al', 'alice', 'alice2', 'al+ice', 'ålice', 'alice/x', '𝄞lice', 'bob'];
  const keys = users.flatMap((u) => ['b.txt', 'a/1', 'a/2', 'é', 'Z'].map((f) => `${u}/${f}`));
  for (const key of keys) await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'x' }));
  const list = async (prefix: string, options: { delimiter?: string; pageSize?: number } = {}) => {
    const contents: string[] = [];
    const folders: string[] = [];
    let token: string | undefined;
    do {
      const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: options.delimiter, MaxKeys: options.pageSize, ContinuationToken: token }));
      contents.push(...(page.Contents ?? []).map((o) => o.Key!));
      folders.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      token = page.NextContinuationToken;
    } while (token);
    return { contents, folders };
  };
  // A first listing sorts the names; the writes and deletes below must keep them up to date.
  expect((await list('al')).contents.length).toBeGreaterThan(0);
  // Overwrites keep a key once; deleted keys are gone from every later listing.
  for (const key of keys.slice(0, 5)) await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'y' }));
  const deleted = new Set(keys.filter((_, i) => i % 7 === 3));
  for (const key of deleted) await clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  const stored = keys.filter((k) => !deleted.has(k));
  const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  for (const user of [...users, 'nobody']) {
    const prefix = `${user}/`;
    const expected = stored.filter((k) => k.startsWith(prefix)).sort(utf8Order);
    expect((await list(prefix)).contents).toEqual(expected);
    expect((await list(prefix, { pageSize: 2 })).contents).toEqual(expected);
    const folders = [...new Set(expected.filter((k) => k.slice(prefix.length).includes('/')).map((k) => `${prefix}${k.slice(prefix.length).split('/')[0]}/`))].sort(utf8Order);
    expect(await list(prefix, { delimiter: '/' })).toEqual({ contents: expected.filter((k) => !k.slice(prefix.length).includes('/')), folders });
  }
  // A prefix that is not a whole segment, and a new key that lands inside a listed range.
  await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'alice/a/0', Body: 'z' }));
  expect((await list('alice')).contents).toEqual([...stored, 'alice/a/0'].filter((k) => k.startsWith('alice')).sort(utf8Order));
});

it('each page of a listing answers the bucket as it is now, from where the last page ended, also after start-after and in a versioned bucket', async () => {
  // The server reads a page from its token in the sorted names instead of every key under the prefix.
  const bucket = `${uniqueDepName('iso')}-pages`.toLowerCase();
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const put = (key: string) => clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: key }));
  const remove = (key: string) => clients.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
  const utf8Order = (a: string, b: string) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  const keys = Array.from({ length: 24 }, (_, i) => `u/${String.fromCharCode(97 + i)}${i % 3 === 0 ? 'é' : ''}`);
  for (const key of [...keys, 'a-outside', 'v/after']) await put(key);
  // Deleted (a delete marker is the latest version): never listed. Deleted, then put again: listed.
  await remove('u/b');
  await remove('u/c');
  await put('u/c');
  const stored = new Set([...keys, 'a-outside', 'v/after'].filter((k) => k !== 'u/b'));
  const listing = async (request: { prefix?: string; startAfter?: string; pageSize: number; between?: (lastKey: string) => Promise<void> }) => {
    const listed: string[] = [];
    let token: string | undefined;
    do {
      const page = await clients.s3.send(
        new ListObjectsV2Command({ Bucket: bucket, Prefix: request.prefix, StartAfter: token ? undefined : request.startAfter, MaxKeys: request.pageSize, ContinuationToken: token }),
      );
      const contents = (page.Contents ?? []).map((o) => o.Key!);
      expect(page.KeyCount).toBe(contents.length);
      expect(contents.length).toBeLessThanOrEqual(request.pageSize);
      listed.push(...contents);
      token = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(token !== undefined);
      if (token && request.between) await request.between(contents[contents.length - 1]);
    } while (token);
    return listed;
  };
  const now = (prefix = '', after = '') => [...stored].filter((k) => k.startsWith(prefix) && utf8Order(k, after) > 0).sort(utf8Order);
  expect(await listing({ prefix: 'u/', pageSize: 5 })).toEqual(now('u/'));
  expect(await listing({ pageSize: 4 })).toEqual(now());
  expect(await listing({ prefix: 'u/', startAfter: 'u/g', pageSize: 3 })).toEqual(now('u/', 'u/g'));
  expect(await listing({ startAfter: 'u/zz', pageSize: 2 })).toEqual(['v/after']);
  // Between pages: a key put ahead of the cursor is listed, one put behind it is not, a key
  // deleted ahead of it is not.
  const seenAfter: string[] = [];
  const putBehind: string[] = [];
  const listed = await listing({
    prefix: 'u/',
    pageSize: 4,
    between: async (lastKey) => {
      const ahead = `${lastKey}~`;
      const behind = `${lastKey.slice(0, -1)}`;
      await put(ahead);
      stored.add(ahead);
      if (!stored.has(behind)) {
        await put(behind);
        stored.add(behind);
        putBehind.push(behind);
      }
      const next = now('u/', ahead)[0];
      if (next !== undefined) {
        await remove(next);
        stored.delete(next);
      }
      seenAfter.push(ahead);
    },
  });
  expect(seenAfter.length).toBeGreaterThan(2);
  for (const ahead of seenAfter) expect(listed).toContain(ahead);
  expect(putBehind.length).toBeGreaterThan(0);
  for (const behind of putBehind) expect(listed).not.toContain(behind);
  expect(listed).toEqual([...listed].sort(utf8Order));
  expect(listed.filter((k) => !stored.has(k))).toEqual([]);
  // And a listing afterwards answers exactly what is stored.
  expect(await listing({ prefix: 'u/', pageSize: 7 })).toEqual(now('u/'));
});

it('a conditional CopyObject (If-None-Match: *) onto an existing key is refused, as S3 does', async () => {
  const bucket = `${uniqueDepName('iso')}-copy`.toLowerCase();
  await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'source', Body: 'new bytes' }));
  await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'taken', Body: 'bytes someone else wrote' }));
  const copy = (key: string) =>
    clients.s3.send(new CopyObjectCommand({ Bucket: bucket, Key: key, CopySource: `${bucket}/source`, IfNoneMatch: '*' })).then(
      () => 'copied',
      (err: { name?: string }) => err.name,
    );

  expect(await copy('taken')).toBe('PreconditionFailed');
  expect(await copy('free')).toBe('copied');
  const body = async (key: string) => (await clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  expect(await body('taken')).toBe('bytes someone else wrote');
  expect(await body('free')).toBe('new bytes');
});

/** An agent that counts the connections it opens. */
class CountingAgent extends http.Agent {
  opened = 0;
  override createConnection(...args: Parameters<http.Agent['createConnection']>): ReturnType<http.Agent['createConnection']> {
    this.opened += 1;
    return super.createConnection(...args);
  }
}

it('keeps one connection open across requests with and without bodies, as S3 does; a chunked upload is stored and its connection closed', async () => {
  const endpoint = process.env.AWS_ENDPOINT_URL!;
  const agent = new CountingAgent({ keepAlive: true, maxSockets: 1 });
  const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, requestHandler: { httpAgent: agent } });
  const bucket = `${uniqueDepName('iso')}-conn`.toLowerCase();
  const key = 'dossier/ключ+1 ü.txt';
  const bytes = 'x'.repeat(70_000);
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString()).toBe(bytes);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength).toBe(bytes.length);
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key)).toEqual([key]);
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    expect((await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).KeyCount).toBe(0);
    // Seven requests, bodies of 0 and 70,000 bytes, answered in order on one connection.
    expect(agent.opened).toBe(1);

    // A body without a length (chunked) cannot be read ahead: werkzeug serves it and closes.
    const chunked = await new Promise<{ status?: number; connection?: string }>((resolve, reject) => {
      const request = http.request(`${endpoint}/${bucket}/chunked`, { method: 'PUT', agent, headers: { 'Transfer-Encoding': 'chunked' } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
      });
      request.on('error', reject);
      request.write('part one, ');
      request.end('part two');
    });
    expect(chunked).toEqual({ status: 200, connection: 'close' });
    expect(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'chunked' }))).Body!.transformToString()).toBe('part one, part two');
    expect(agent.opened).toBe(2);
  } finally {
    s3.destroy();
    agent.destroy();
  }
});
