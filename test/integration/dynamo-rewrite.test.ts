/**
 * The rewrite engine and its activity wrappers on the moto server, with small rules of the
 * three realistic shapes: a table keyed by user, a `{user}/ast/{uuid}` id found through a
 * UserIndex GSI, and a scanned table with ids in a nested map and a string set.
 */
import {
  BatchWriteItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue as SdkAttributeValue,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { createBucket, createTable } from '../../client/seed/provision';
import { buildDeployment, tableSchema, type Deployment, type TableKey } from '../../src/deployment/catalogue';
import type { AttributeValue, Item } from '../../src/dynamo/attributeValue';
import { createIdMap, type IdPair } from '../../src/idmap/types';
import { mapLeadingSegment, mapWhole } from '../../src/rules/tokens';
import type { TableRule } from '../../src/rules/types';
import type { AwsClients } from '../../activities/aws/clients';
import {
  emptyCounters,
  RewriteConflictError,
  rewriteScanSegment,
  rewriteUserItems,
  type OnConflict,
  type RewriteCounters,
  type WireCursor,
} from '../../activities/dynamo/rewrite';
import {
  createTableRewriter,
  putIdMapClaimCheck,
  type RewriteHeartbeat,
  type RewriteTableForUserInput,
  type RewriteTableScanSegmentInput,
} from '../../activities/dynamo/tableRewriter';
import { IdMapCache } from '../../activities/dynamo/idMapClaimCheck';
// What the worker registers: errors no retry can fix become non-retryable failures at this edge.
import { atActivityEdge } from '../../activities/failures';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const context = { pointersReady: true, consolidationBucket: 'unused' };

// ---- rules of the three shapes -------------------------------------------------------

const BY_USER: TableKey = 'ASSISTANTS_ALIASES_DYNAMODB_TABLE'; // hash user, range assistantId
const BY_INDEX: TableKey = 'ASSISTANT_THREADS_DYNAMODB_TABLE'; // hash id, GSI UserIndex(user)
const SCANNED: TableKey = 'ASSISTANT_GROUPS_DYNAMO_TABLE'; // hash group_id

function withString(item: Item, name: string, map: (v: string) => string): Item {
  const v = item[name];
  return v && 'S' in v ? { ...item, [name]: { S: map(v.S) } } : item;
}

const byUserRule: TableRule = {
  table: BY_USER,
  when: 'idChanged',
  finder: { kind: 'partitionKey' },
  describe: 'user (hash key) → new id',
  keyMayChange: true,
  rewrite: (item, ctx) => withString(item, 'user', (v) => mapWhole(v, ctx.ids)),
};

const byIndexRule: TableRule = {
  table: BY_INDEX,
  when: 'idChanged',
  finder: { kind: 'index', index: 'UserIndex' },
  describe: 'user → new id; id {user}/ast/{uuid} leading segment → new id',
  keyMayChange: true,
  rewrite: (item, ctx) =>
    withString(
      withString(item, 'user', (v) => mapWhole(v, ctx.ids)),
      'id',
      (v) => mapLeadingSegment(v, '/', ctx.ids),
    ),
};

/** members: M keyed by user id; admins: SS of user ids; createdBy: S. Keys never change. */
const scannedRule: TableRule = {
  table: SCANNED,
  when: 'idChanged',
  finder: { kind: 'scan' },
  describe: 'members keys, admins[], createdBy → new ids',
  keyMayChange: false,
  rewrite: (item, ctx) => {
    let out = withString(item, 'createdBy', (v) => mapWhole(v, ctx.ids));
    const members = item.members;
    if (members && 'M' in members) {
      out = { ...out, members: { M: Object.fromEntries(Object.entries(members.M).map(([k, v]) => [mapWhole(k, ctx.ids), v])) } };
    }
    const admins = item.admins;
    if (admins && 'SS' in admins) out = { ...out, admins: { SS: admins.SS.map((v) => mapWhole(v, ctx.ids)) } };
    return out;
  },
};

const rules: Partial<Record<TableKey, TableRule>> = { [BY_USER]: byUserRule, [BY_INDEX]: byIndexRule, [SCANNED]: scannedRule };

// ---- helpers ---------------------------------------------------------------------------

const S = (s: string): AttributeValue => ({ S: s });

/** Every attribute type DynamoDB has, so a move that loses or retypes one shows up. */
function richAttributes(owner: string): Item {
  return {
    count: { N: '42.50' },
    tags: { SS: ['b', 'a', 'bob@x.com'] },
    scores: { NS: ['1', '2.5'] },
    meta: { M: { owner: S(owner), nested: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }, { B: new Uint8Array([9, 8]) }] } } },
    list: { L: [S('x'), { N: '-3' }, { M: {} }] },
    flag: { BOOL: true },
    nothing: { NULL: true },
    blob: { B: new Uint8Array([0, 1, 2, 255]) },
    blobs: { BS: [new Uint8Array([1]), new Uint8Array([2, 3])] },
  };
}

async function freshDeployment(...tables: TableKey[]): Promise<Deployment> {
  const deployment = buildDeployment({ depName: uniqueDepName('dyn'), stage: 'dev' });
  for (const key of tables) await createTable(clients, deployment, key);
  return deployment;
}

async function put(table: string, item: Item): Promise<void> {
  await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: item as Record<string, SdkAttributeValue> }));
}

/** JSON with binary as base64: a byte-exact, comparable picture of an item. */
function picture(item: Item): unknown {
  return JSON.parse(
    JSON.stringify(item, (_key, value) => (value instanceof Uint8Array ? { base64: Buffer.from(value).toString('base64') } : value)),
  );
}

function keyString(tableKey: TableKey, item: Item): string {
  const schema = tableSchema(tableKey);
  return JSON.stringify([item[schema.hash.name], schema.range ? item[schema.range.name] : null]);
}

/** The whole table, in key order, as pictures. */
async function tableContents(tableKey: TableKey, table: string): Promise<unknown[]> {
  const items: Item[] = [];
  let startKey: Record<string, SdkAttributeValue> | undefined;
  do {
    const page = await clients.dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as Item[]));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return sortedPictures(tableKey, items);
}

function sortedPictures(tableKey: TableKey, items: Item[]): unknown[] {
  return [...items].sort((a, b) => keyString(tableKey, a).localeCompare(keyString(tableKey, b))).map(picture);
}

/** AwsClients whose DynamoDB client records every command name and can run a hook before one is sent. */
function recordingClients(hook?: (command: { constructor: { name: string }; input: unknown }) => Promise<void>) {
  const sent: string[] = [];
  const real = clients.dynamo;
  const dynamo = Object.create(real) as typeof real;
  dynamo.send = (async (command: { constructor: { name: string }; input: unknown }, options?: unknown) => {
    sent.push(command.constructor.name);
    await hook?.(command);
    return (real.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
  }) as typeof real.send;
  const wrapped: AwsClients = { ...clients, dynamo };
  return { clients: wrapped, sent };
}

const counters = (partial: Partial<RewriteCounters>): RewriteCounters => ({ ...emptyCounters(), ...partial });

function userRun(table: string, tableKey: TableKey, oldId: string, pairs: IdPair[], extra: Partial<Parameters<typeof rewriteUserItems>[1]> = {}) {
  return {
    table,
    tableKey,
    rule: rules[tableKey]!,
    oldId,
    ids: createIdMap(pairs),
    context,
    dryRun: false,
    onConflict: 'skip' as OnConflict,
    ...extra,
  };
}

function scanRun(table: string, pairs: IdPair[], segment: number, totalSegments: number, extra: Partial<Parameters<typeof rewriteScanSegment>[1]> = {}) {
  return { table, tableKey: SCANNED, rule: scannedRule, ids: createIdMap(pairs), context, segment, totalSegments, dryRun: false, ...extra };
}

const BOB: IdPair = { oldId: 'bob@x.com', newId: 'robert@new.org' };

// ---- table keyed by user ------------------------------------------------------------------

describe('a table keyed by user', () => {
  it('moves the user\'s items atomically to the new key, every attribute type preserved, others byte-identical', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const bob1 = { user: S('bob@x.com'), assistantId: S('ast/1'), createdAt: S('2024-01-01'), ...richAttributes('bob@x.com') };
    const bob2 = { user: S('bob@x.com'), assistantId: S('ast/2'), createdAt: S('2024-01-02') };
    const bobby = { user: S('bobby@x.com'), assistantId: S('ast/1'), ...richAttributes('bob@x.com') };
    const alice = { user: S('alice@x.com'), assistantId: S('ast/9'), createdAt: S('2024-02-02') };
    for (const item of [bob1, bob2, bobby, alice]) await put(table, item);

    const result = await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB]));

    expect(result).toEqual(counters({ itemsRead: 2, itemsWritten: 2, itemsMoved: 2 }));
    expect(await tableContents(BY_USER, table)).toEqual(
      sortedPictures(BY_USER, [{ ...bob1, user: S(BOB.newId) }, { ...bob2, user: S(BOB.newId) }, bobby, alice]),
    );

    // A second run finds nothing left under the old id and writes nothing.
    const again = await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB]));
    expect(again).toEqual(counters({}));
  });

  it('bob and bobby: only the mapped user changes, and running bobby (not in the map) leaves him byte-identical', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const bob = { user: S('bob@x.com'), assistantId: S('a') };
    const bobby = { user: S('bobby@x.com'), assistantId: S('a'), note: S('bob@x.com') };
    await put(table, bob);
    await put(table, bobby);
    const { clients: recording, sent } = recordingClients();

    const forBobby = await rewriteUserItems(recording, userRun(table, BY_USER, 'bobby@x.com', [BOB]));
    expect(forBobby).toEqual(counters({ itemsRead: 1, itemsUnchanged: 1 }));
    expect(sent).toEqual(['QueryCommand']);

    await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB]));
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [{ ...bob, user: S(BOB.newId) }, bobby]));
  });

  it('skip (the default): a different item at the new key is a conflict, both items left untouched', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const old1 = { user: S('bob@x.com'), assistantId: S('a1'), v: S('old') };
    const old2 = { user: S('bob@x.com'), assistantId: S('a2'), v: S('old') };
    const occupant = { user: S(BOB.newId), assistantId: S('a1'), v: S('written by the live app under the new id') };
    for (const item of [old1, old2, occupant]) await put(table, item);

    const result = await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB]));

    expect(result).toEqual(
      counters({
        itemsRead: 2,
        itemsWritten: 1,
        itemsMoved: 1,
        conflictCount: 1,
        conflicts: [{ table, oldKey: { user: 'bob@x.com', assistantId: 'a1' }, newKey: { user: BOB.newId, assistantId: 'a1' }, reason: 'targetExists' }],
      }),
    );
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [old1, occupant, { ...old2, user: S(BOB.newId) }]));
  });

  it('overwrite replaces the occupant atomically with the delete of the old item', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const old = { user: S('bob@x.com'), assistantId: S('a1'), v: S('old') };
    const occupant = { user: S(BOB.newId), assistantId: S('a1'), v: S('other'), extra: { N: '1' } };
    await put(table, old);
    await put(table, occupant);

    const result = await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB], { onConflict: 'overwrite' }));

    expect(result).toEqual(
      counters({
        itemsRead: 1,
        itemsWritten: 1,
        itemsMoved: 1,
        conflictCount: 1,
        conflicts: [{ table, oldKey: { user: 'bob@x.com', assistantId: 'a1' }, newKey: { user: BOB.newId, assistantId: 'a1' }, reason: 'targetOverwritten' }],
      }),
    );
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [{ ...old, user: S(BOB.newId) }]));
  });

  it('fail throws a conflict error naming both keys and writes nothing for that item', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const old = { user: S('bob@x.com'), assistantId: S('a1') };
    const occupant = { user: S(BOB.newId), assistantId: S('a1'), v: S('other') };
    await put(table, old);
    await put(table, occupant);

    const run = rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB], { onConflict: 'fail' }));

    await expect(run).rejects.toBeInstanceOf(RewriteConflictError);
    await expect(run).rejects.toThrow(`${table}: moving {"user":"bob@x.com","assistantId":"a1"} to {"user":"${BOB.newId}","assistantId":"a1"}`);
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [old, occupant]));
  });

  it('an identical item already at the new key (an interrupted earlier run) only has the old one deleted', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const old = { user: S('bob@x.com'), assistantId: S('a1'), ...richAttributes('x') };
    await put(table, old);
    await put(table, { ...old, user: S(BOB.newId) });
    const { clients: recording, sent } = recordingClients();

    const result = await rewriteUserItems(recording, userRun(table, BY_USER, 'bob@x.com', [BOB]));

    expect(result).toEqual(counters({ itemsRead: 1, itemsWritten: 1, itemsMoved: 1 }));
    expect(sent).toEqual(['QueryCommand', 'TransactWriteItemsCommand', 'DeleteItemCommand']);
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [{ ...old, user: S(BOB.newId) }]));
  });

  it('moves a page of items in transactions of 50 moves, not one transaction each', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const items = Array.from({ length: 120 }, (_, i) => ({ user: S('bob@x.com'), assistantId: S(`ast/${i}`), v: { N: String(i) } }));
    for (const item of items) await put(table, item);
    const { clients: recording, sent } = recordingClients();

    const result = await rewriteUserItems(recording, userRun(table, BY_USER, 'bob@x.com', [BOB]));

    expect(result).toEqual(counters({ itemsRead: 120, itemsWritten: 120, itemsMoved: 120 }));
    expect(sent.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(3);
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, items.map((item) => ({ ...item, user: S(BOB.newId) }))));
  });

  it('a batch cancelled by one taken key moves its other items one by one, and reports that one', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const items = Array.from({ length: 60 }, (_, i) => ({ user: S('bob@x.com'), assistantId: S(`ast/${i}`) }));
    const occupant = { user: S(BOB.newId), assistantId: S('ast/7'), v: S('the live app') };
    for (const item of [...items, occupant]) await put(table, item);
    const { clients: recording, sent } = recordingClients();

    const result = await rewriteUserItems(recording, userRun(table, BY_USER, 'bob@x.com', [BOB]));

    expect(result).toMatchObject({ itemsRead: 60, itemsWritten: 59, itemsMoved: 59, conflictCount: 1 });
    expect(result.conflicts).toEqual([{ table, oldKey: { user: 'bob@x.com', assistantId: 'ast/7' }, newKey: { user: BOB.newId, assistantId: 'ast/7' }, reason: 'targetExists' }]);
    // In key order (ast/0, ast/1, ast/10, …) ast/7 is among the last 10: the batch of the first
    // 50 moves; the batch of the last 10 is cancelled, and its 10 go one by one.
    expect(sent.filter((c) => c === 'TransactWriteItemsCommand')).toHaveLength(12);
    const moved = items.filter((_, i) => i !== 7).map((item) => ({ ...item, user: S(BOB.newId) }));
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [...moved, items[7], occupant]));
  });

  it('lists at most 100 conflicts but counts them all', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const ids = Array.from({ length: 103 }, (_, i) => `a${String(i).padStart(3, '0')}`);
    const items = ids.flatMap((a): Record<string, SdkAttributeValue>[] => [
      { user: { S: 'bob@x.com' }, assistantId: { S: a } },
      { user: { S: BOB.newId }, assistantId: { S: a }, v: { S: 'other' } },
    ]);
    for (let at = 0; at < items.length; at += 25) {
      const chunk = items.slice(at, at + 25).map((Item) => ({ PutRequest: { Item } }));
      const { UnprocessedItems } = await clients.dynamo.send(new BatchWriteItemCommand({ RequestItems: { [table]: chunk } }));
      expect(UnprocessedItems ?? {}).toEqual({});
    }
    const result = await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB], { pageSize: 40 }));
    expect(result.conflictCount).toBe(103);
    expect(result.conflicts).toHaveLength(100);
    // Items of a page are processed concurrently, so which 100 are listed is not fixed; each is listed once.
    const listed = result.conflicts.map((c) => c.oldKey.assistantId);
    expect(new Set(listed).size).toBe(100);
    expect(result.conflicts).toEqual(
      listed.map((a) => ({ table, oldKey: { user: 'bob@x.com', assistantId: a }, newKey: { user: BOB.newId, assistantId: a }, reason: 'targetExists' })),
    );
    expect(listed.every((a) => ids.includes(a))).toBe(true);
    expect({ ...result, conflicts: [] }).toEqual(counters({ itemsRead: 103, conflictCount: 103 }));
  });

  it('items over 400 KB after the rewrite are reported, not written', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const longId = `robert-${'x'.repeat(300)}@new.org`;
    // Just under the 400,000-byte limit with the short id, over it with the long one.
    const filler = 'f'.repeat(399_870);
    const old = { user: S('bob@x.com'), assistantId: S('a1'), body: S(filler) };
    await put(table, old);

    const result = await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [{ oldId: 'bob@x.com', newId: longId }]));

    expect(result).toEqual(
      counters({
        itemsRead: 1,
        conflictCount: 1,
        conflicts: [{ table, oldKey: { user: 'bob@x.com', assistantId: 'a1' }, newKey: { user: longId, assistantId: 'a1' }, reason: 'itemTooLarge' }],
      }),
    );
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [old]));
  });

  it('a mid-run crash resumed from the last cursor (or from scratch) converges on the same table', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const bobs = ['a1', 'a2', 'a3', 'a4', 'a5'].map((a) => ({ user: S('bob@x.com'), assistantId: S(a), n: { N: a.slice(1) } }));
    const other = { user: S('carol@x.com'), assistantId: S('a1') };
    for (const item of [...bobs, other]) await put(table, item);
    const expected = sortedPictures(BY_USER, [...bobs.map((b) => ({ ...b, user: S(BOB.newId) })), other]);

    const progress: { cursor: WireCursor | undefined; counters: RewriteCounters }[] = [];
    const crashing = rewriteUserItems(
      clients,
      userRun(table, BY_USER, 'bob@x.com', [BOB], {
        pageSize: 2,
        onProgress: (cursor, c) => {
          progress.push({ cursor, counters: c });
          if (progress.length === 1) throw new Error('worker crashed');
        },
      }),
    );
    await expect(crashing).rejects.toThrow('worker crashed');
    expect(progress).toEqual([{ cursor: { user: { S: 'bob@x.com' }, assistantId: { S: 'a2' } }, counters: counters({ itemsRead: 2, itemsWritten: 2, itemsMoved: 2 }) }]);

    const resumed = await rewriteUserItems(
      clients,
      userRun(table, BY_USER, 'bob@x.com', [BOB], { pageSize: 2, cursor: progress[0].cursor, counters: progress[0].counters }),
    );
    expect(resumed).toEqual(counters({ itemsRead: 5, itemsWritten: 5, itemsMoved: 5 }));
    expect(await tableContents(BY_USER, table)).toEqual(expected);

    const fromScratch = await rewriteUserItems(clients, userRun(table, BY_USER, 'bob@x.com', [BOB], { pageSize: 2 }));
    expect(fromScratch.itemsWritten).toBe(0);
    expect(await tableContents(BY_USER, table)).toEqual(expected);
  });

  it('a concurrent change to the old item between read and move is carried to the new key (re-read, retried)', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const old = { user: S('bob@x.com'), assistantId: S('a1'), title: S('before') };
    await put(table, old);
    let interfered = false;
    const { clients: racing } = recordingClients(async (command) => {
      if (command.constructor.name === 'TransactWriteItemsCommand' && !interfered) {
        interfered = true;
        await put(table, { ...old, title: S('renamed by the live app') });
      }
    });

    const result = await rewriteUserItems(racing, userRun(table, BY_USER, 'bob@x.com', [BOB]));

    expect(result).toEqual(counters({ itemsRead: 1, itemsWritten: 1, itemsMoved: 1, retries: 1 }));
    expect(await tableContents(BY_USER, table)).toEqual(
      sortedPictures(BY_USER, [{ ...old, user: S(BOB.newId), title: S('renamed by the live app') }]),
    );
  });
});

// ---- composite id found through a GSI -------------------------------------------------------

describe('a {user}/ast/{uuid} id found through UserIndex', () => {
  it('re-reads each indexed item, moves it to the mapped id, and a second run writes nothing', async () => {
    const d = await freshDeployment(BY_INDEX);
    const table = d.tables[BY_INDEX];
    const mine = { id: S('bob@x.com/ast/u1'), user: S('bob@x.com'), name: S('n'), ...richAttributes('bob@x.com') };
    const mine2 = { id: S('bob@x.com/ast/u2'), user: S('bob@x.com') };
    const bobbys = { id: S('bobby@x.com/ast/u3'), user: S('bobby@x.com') };
    for (const item of [mine, mine2, bobbys]) await put(table, item);
    const { clients: recording, sent } = recordingClients();

    const result = await rewriteUserItems(recording, userRun(table, BY_INDEX, 'bob@x.com', [BOB]));

    expect(result).toEqual(counters({ itemsRead: 2, itemsWritten: 2, itemsMoved: 2 }));
    // Both indexed items re-read by primary key in one BatchGetItem, not one GetItem each.
    expect(sent.filter((c) => c === 'BatchGetItemCommand')).toHaveLength(1);
    expect(sent.filter((c) => c === 'GetItemCommand')).toHaveLength(0);
    expect(await tableContents(BY_INDEX, table)).toEqual(
      sortedPictures(BY_INDEX, [
        { ...mine, id: S(`${BOB.newId}/ast/u1`), user: S(BOB.newId) },
        { ...mine2, id: S(`${BOB.newId}/ast/u2`), user: S(BOB.newId) },
        bobbys,
      ]),
    );
    const again = await rewriteUserItems(clients, userRun(table, BY_INDEX, 'bob@x.com', [BOB]));
    expect(again.itemsWritten).toBe(0);
  });
});

// ---- scanned table ---------------------------------------------------------------------------

describe('a scanned table with ids in a nested map and a string set', () => {
  const pairs: IdPair[] = [BOB, { oldId: 'carol@x.com', newId: 'caroline@new.org' }];
  const groups = (): Item[] => [
    { group_id: S('g1'), createdBy: S('bob@x.com'), members: { M: { 'bob@x.com': S('admin'), 'bobby@x.com': S('read') } }, admins: { SS: ['bob@x.com', 'dave@x.com'] } },
    { group_id: S('g2'), createdBy: S('carol@x.com'), members: { M: { 'carol@x.com': S('write') } }, admins: { SS: ['carol@x.com'] }, ...richAttributes('x') },
    { group_id: S('g3'), createdBy: S('bobby@x.com'), members: { M: { 'bobby@x.com': S('admin') } }, admins: { SS: ['bobby@x.com'] } },
    { group_id: S('g4'), createdBy: S('dave@x.com') },
  ];
  const migrated = (): Item[] => {
    const [g1, g2, g3, g4] = groups();
    return [
      { ...g1, createdBy: S(BOB.newId), members: { M: { [BOB.newId]: S('admin'), 'bobby@x.com': S('read') } }, admins: { SS: [BOB.newId, 'dave@x.com'] } },
      { ...g2, createdBy: S('caroline@new.org'), members: { M: { 'caroline@new.org': S('write') } }, admins: { SS: ['caroline@new.org'] } },
      g3,
      g4,
    ];
  };

  async function runAllSegments(table: string, extra: Partial<Parameters<typeof rewriteScanSegment>[1]> = {}, c = clients) {
    let total = emptyCounters();
    for (const segment of [0, 1]) {
      const r = await rewriteScanSegment(c, scanRun(table, pairs, segment, 2, extra));
      total = { ...total, itemsRead: total.itemsRead + r.itemsRead, itemsWritten: total.itemsWritten + r.itemsWritten, itemsUnchanged: total.itemsUnchanged + r.itemsUnchanged, itemsMoved: total.itemsMoved + r.itemsMoved, retries: total.retries + r.retries, conflictCount: total.conflictCount + r.conflictCount };
    }
    return total;
  }

  it('applies the whole map to every item in place (a page\'s updates in one transaction), and a second run writes nothing', async () => {
    const d = await freshDeployment(SCANNED);
    const table = d.tables[SCANNED];
    for (const item of groups()) await put(table, item);
    const actions: string[] = [];
    const { clients: recording, sent } = recordingClients(async (command) => {
      const input = command.input as { TransactItems?: Record<string, unknown>[] };
      for (const action of input.TransactItems ?? []) actions.push(...Object.keys(action));
    });

    expect(await runAllSegments(table, {}, recording)).toEqual(counters({ itemsRead: 4, itemsWritten: 2, itemsUnchanged: 2 }));
    // Both changed items are in one segment here: one transaction of two updates, no item deleted or put.
    expect([...new Set(sent)].sort()).toEqual(['ScanCommand', 'TransactWriteItemsCommand']);
    expect(actions).toEqual(['Update', 'Update']);
    expect(await tableContents(SCANNED, table)).toEqual(sortedPictures(SCANNED, migrated()));

    expect(await runAllSegments(table)).toEqual(counters({ itemsRead: 4, itemsUnchanged: 4 }));
    expect(await tableContents(SCANNED, table)).toEqual(sortedPictures(SCANNED, migrated()));
  });

  it('a concurrent write to another attribute is preserved; one to a rewritten attribute is re-read and re-applied', async () => {
    const d = await freshDeployment(SCANNED);
    const table = d.tables[SCANNED];
    const [g1, g2] = groups();
    await put(table, g1);
    await put(table, g2);
    const interfered = new Set<string>();
    // Each group is changed once, just before our first write of it: a transaction of the page's
    // updates (then cancelled whole) or, after that, its own UpdateItem.
    const groupsWritten = (command: { constructor: { name: string }; input: unknown }): string[] => {
      const input = command.input as { Key?: Item; TransactItems?: { Update?: { Key: Item } }[] };
      const keys = command.constructor.name === 'UpdateItemCommand' ? [input.Key!] : (input.TransactItems ?? []).flatMap((a) => (a.Update ? [a.Update.Key] : []));
      return keys.map((key) => (key.group_id as { S: string }).S);
    };
    const { clients: racing, sent } = recordingClients(async (command) => {
      for (const group of groupsWritten(command)) await interfere(group);
    });
    const interfere = async (group: string) => {
      if (interfered.has(group)) return;
      interfered.add(group);
      const expression: Pick<UpdateItemCommandInput, 'UpdateExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> =
        group === 'g1'
          ? { UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':v': { S: 'renamed' } } }
          : { UpdateExpression: 'SET #m.#u = :v', ExpressionAttributeNames: { '#m': 'members', '#u': 'erin@x.com' }, ExpressionAttributeValues: { ':v': { S: 'read' } } };
      await clients.dynamo.send(new UpdateItemCommand({ TableName: table, Key: { group_id: { S: group } }, ...expression }));
    };

    const result = await runAllSegments(table, {}, racing);

    expect(result).toEqual(counters({ itemsRead: 2, itemsWritten: 2, retries: 1 }));
    // The batch of both updates was cancelled by the first change; each was then written alone.
    expect(sent.filter((c) => c !== 'ScanCommand' && c !== 'GetItemCommand')).toEqual(['TransactWriteItemsCommand', 'UpdateItemCommand', 'UpdateItemCommand', 'UpdateItemCommand']);
    const [m1, m2] = migrated();
    expect(await tableContents(SCANNED, table)).toEqual(
      sortedPictures(SCANNED, [
        { ...m1, name: S('renamed') },
        { ...m2, members: { M: { 'caroline@new.org': S('write'), 'erin@x.com': S('read') } } },
      ]),
    );
  });

  it('an item a writer changes before every attempt is reported as stillChanging and left to that writer', async () => {
    const d = await freshDeployment(SCANNED);
    const table = d.tables[SCANNED];
    // The writer keeps adding to admins, an attribute the rewrite changes (bob is in it).
    await put(table, { group_id: S('g1'), createdBy: S('bob@x.com'), admins: { SS: ['bob@x.com'] } });
    let writes = 0;
    const { clients: racing } = recordingClients(async (command) => {
      if (command.constructor.name !== 'UpdateItemCommand') return;
      writes++;
      await clients.dynamo.send(
        new UpdateItemCommand({
          TableName: table,
          Key: { group_id: { S: 'g1' } },
          UpdateExpression: 'ADD #a :v',
          ExpressionAttributeNames: { '#a': 'admins' },
          ExpressionAttributeValues: { ':v': { SS: [`w${writes}@x.com`] } },
        }),
      );
    });

    const result = await rewriteScanSegment(racing, scanRun(table, pairs, 0, 1));

    expect(result).toEqual(
      counters({
        itemsRead: 1,
        retries: 5,
        conflictCount: 1,
        conflicts: [{ table, oldKey: { group_id: 'g1' }, newKey: { group_id: 'g1' }, reason: 'stillChanging' }],
      }),
    );
    expect(writes).toBe(5);
    const [only] = (await tableContents(SCANNED, table)) as { createdBy: unknown; admins: { SS: string[] } }[];
    expect(only.createdBy).toEqual(S('bob@x.com'));
    expect([...only.admins.SS].sort()).toEqual(['bob@x.com', 'w1@x.com', 'w2@x.com', 'w3@x.com', 'w4@x.com', 'w5@x.com']);
  });

  it('a segment resumed from a mid-run cursor converges', async () => {
    const d = await freshDeployment(SCANNED);
    const table = d.tables[SCANNED];
    const owner = (i: number) => (i % 2 ? 'bob@x.com' : 'bobby@x.com');
    const many = Array.from({ length: 7 }, (_, i) => ({ group_id: S(`g${i}`), createdBy: S(owner(i)) }));
    for (const item of many) await put(table, item);
    let cursor: WireCursor | undefined;
    let soFar: RewriteCounters | undefined;
    await expect(
      rewriteScanSegment(
        clients,
        scanRun(table, pairs, 0, 1, {
          pageSize: 3,
          onProgress: (c, n) => {
            cursor = c;
            soFar = n;
            throw new Error('crash');
          },
        }),
      ),
    ).rejects.toThrow('crash');
    expect(soFar!.itemsRead).toBe(3);

    const resumed = await rewriteScanSegment(clients, scanRun(table, pairs, 0, 1, { pageSize: 3, cursor, counters: soFar }));

    expect(resumed).toEqual(counters({ itemsRead: 7, itemsWritten: 3, itemsUnchanged: 4 }));
    expect(await tableContents(SCANNED, table)).toEqual(
      sortedPictures(SCANNED, many.map((g, i) => (owner(i) === 'bob@x.com' ? { ...g, createdBy: S(BOB.newId) } : g))),
    );
  });
});

// ---- scenario B and dry run -------------------------------------------------------------------

describe('scenario B (every id maps to itself)', () => {
  it('reads, never writes or deletes, and leaves every item byte-identical', async () => {
    const d = await freshDeployment(BY_USER, BY_INDEX, SCANNED);
    const same: IdPair[] = [{ oldId: 'bob@x.com', newId: 'bob@x.com' }];
    await put(d.tables[BY_USER], { user: S('bob@x.com'), assistantId: S('a1'), ...richAttributes('bob@x.com') });
    await put(d.tables[BY_INDEX], { id: S('bob@x.com/ast/u1'), user: S('bob@x.com'), ...richAttributes('bob@x.com') });
    await put(d.tables[SCANNED], { group_id: S('g1'), createdBy: S('bob@x.com'), members: { M: { 'bob@x.com': S('admin') } }, admins: { SS: ['bob@x.com'] } });
    const before = await Promise.all([BY_USER, BY_INDEX, SCANNED].map((k) => tableContents(k, d.tables[k])));
    const { clients: recording, sent } = recordingClients();

    const results = [
      await rewriteUserItems(recording, userRun(d.tables[BY_USER], BY_USER, 'bob@x.com', same)),
      await rewriteUserItems(recording, userRun(d.tables[BY_INDEX], BY_INDEX, 'bob@x.com', same)),
      await rewriteScanSegment(recording, scanRun(d.tables[SCANNED], same, 0, 1)),
    ];

    expect(results).toEqual([1, 1, 1].map((n) => counters({ itemsRead: n, itemsUnchanged: n })));
    expect([...new Set(sent)].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);
    expect(await Promise.all([BY_USER, BY_INDEX, SCANNED].map((k) => tableContents(k, d.tables[k])))).toEqual(before);
  });
});

describe('dry run', () => {
  it('reads only, writes nothing, and reports the counts the real run then produces', async () => {
    const d = await freshDeployment(BY_USER, SCANNED);
    const byUser = d.tables[BY_USER];
    const scanned = d.tables[SCANNED];
    await put(byUser, { user: S('bob@x.com'), assistantId: S('a1') }); // moves
    await put(byUser, { user: S('bob@x.com'), assistantId: S('a2'), v: S('old') }); // conflicts
    await put(byUser, { user: S(BOB.newId), assistantId: S('a2'), v: S('new') });
    await put(byUser, { user: S('bob@x.com'), assistantId: S('a3') }); // already moved once: finishes the move
    await put(byUser, { user: S(BOB.newId), assistantId: S('a3') });
    await put(scanned, { group_id: S('g1'), createdBy: S('bob@x.com') }); // updated in place
    await put(scanned, { group_id: S('g2'), createdBy: S('bobby@x.com') }); // unchanged
    const before = [await tableContents(BY_USER, byUser), await tableContents(SCANNED, scanned)];
    const { clients: recording, sent } = recordingClients();

    const dry = [
      await rewriteUserItems(recording, userRun(byUser, BY_USER, 'bob@x.com', [BOB], { dryRun: true })),
      await rewriteScanSegment(recording, scanRun(scanned, [BOB], 0, 1, { dryRun: true })),
    ];

    expect([...new Set(sent)].sort()).toEqual(['BatchGetItemCommand', 'QueryCommand', 'ScanCommand']);
    expect([await tableContents(BY_USER, byUser), await tableContents(SCANNED, scanned)]).toEqual(before);
    const real = [
      await rewriteUserItems(clients, userRun(byUser, BY_USER, 'bob@x.com', [BOB])),
      await rewriteScanSegment(clients, scanRun(scanned, [BOB], 0, 1)),
    ];
    expect(dry).toEqual(real);
    expect(real[0]).toEqual(
      counters({
        itemsRead: 3,
        itemsWritten: 2,
        itemsMoved: 2,
        conflictCount: 1,
        conflicts: [{ table: byUser, oldKey: { user: 'bob@x.com', assistantId: 'a2' }, newKey: { user: BOB.newId, assistantId: 'a2' }, reason: 'targetExists' }],
      }),
    );
    expect(real[1]).toEqual(counters({ itemsRead: 2, itemsWritten: 1, itemsUnchanged: 1 }));
  });
});

// ---- activity wrappers -------------------------------------------------------------------------

describe('the Temporal activity wrappers', () => {
  const ruleFor = (key: TableKey) => rules[key];
  // The expected failures below would otherwise each log a stack trace at WARN.
  const mockEnvironment = (info?: ConstructorParameters<typeof MockActivityEnvironment>[0]) =>
    new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });

  it('heartbeat the cursor after every page and resume from heartbeatDetails', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    const bobs = ['a1', 'a2', 'a3'].map((a) => ({ user: S('bob@x.com'), assistantId: S(a) }));
    for (const item of bobs) await put(table, item);
    const activities = createTableRewriter(clients, { ruleFor, idMapCache: new IdMapCache() });
    const input: RewriteTableForUserInput = { tableKey: BY_USER, table, oldId: 'bob@x.com', ids: [BOB], context, dryRun: true, pageSize: 2 };

    const env = mockEnvironment();
    const heartbeats: RewriteHeartbeat[] = [];
    env.on('heartbeat', (details: RewriteHeartbeat) => heartbeats.push(details));
    const dry = await env.run(activities.rewriteTableForUser, input);

    expect(dry).toEqual(counters({ itemsRead: 3, itemsWritten: 3, itemsMoved: 3 }));
    expect(heartbeats).toEqual([
      { cursor: { user: { S: 'bob@x.com' }, assistantId: { S: 'a2' } }, counters: counters({ itemsRead: 2, itemsWritten: 2, itemsMoved: 2 }) },
      { cursor: null, counters: dry },
    ]);

    // A retry after the first heartbeat: starts after a2, adds to the counts carried.
    const resumedEnv = mockEnvironment({ heartbeatDetails: heartbeats[0] });
    const resumed = await resumedEnv.run(activities.rewriteTableForUser, { ...input, dryRun: false });
    expect(resumed).toEqual(counters({ itemsRead: 3, itemsWritten: 3, itemsMoved: 3 }));
    expect(await tableContents(BY_USER, table)).toEqual(sortedPictures(BY_USER, [bobs[0], bobs[1], { ...bobs[2], user: S(BOB.newId) }]));

    // A retry after the last heartbeat: the work is done, the counts are returned as they were.
    const finishedEnv = mockEnvironment({ heartbeatDetails: heartbeats[1] });
    expect(await finishedEnv.run(activities.rewriteTableForUser, { ...input, dryRun: false })).toEqual(dry);
  });

  it('load the id map from a verified claim check, stored once per content', async () => {
    const d = await freshDeployment(SCANNED);
    await createBucket(clients, d, 'S3_CONSOLIDATION_BUCKET_NAME');
    const bucket = d.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    const table = d.tables[SCANNED];
    await put(table, { group_id: S('g1'), createdBy: S('bob@x.com'), admins: { SS: ['bob@x.com', 'bobby@x.com'] } });
    const s3Sent: string[] = [];
    const s3 = Object.create(clients.s3) as typeof clients.s3;
    s3.send = ((command: { constructor: { name: string } }, options?: unknown) => {
      s3Sent.push(command.constructor.name);
      return (clients.s3.send as (c: unknown, o?: unknown) => Promise<unknown>)(command, options);
    }) as typeof clients.s3.send;

    const claim = await putIdMapClaimCheck({ ...clients, s3 }, bucket, [BOB]);
    const again = await putIdMapClaimCheck({ ...clients, s3 }, bucket, [BOB]);
    expect(again).toEqual(claim);
    expect(claim.key).toBe(`amplify-migrate/idmaps/${claim.sha256}.json`);
    expect(s3Sent).toEqual(['HeadObjectCommand', 'PutObjectCommand', 'HeadObjectCommand']);

    const activities = createTableRewriter(clients, { ruleFor, idMapCache: new IdMapCache() });
    const input: RewriteTableScanSegmentInput = { tableKey: SCANNED, table, ids: claim, context, dryRun: false, segment: 0, totalSegments: 1 };
    expect(await mockEnvironment().run(activities.rewriteTableScanSegment, input)).toEqual(counters({ itemsRead: 1, itemsWritten: 1 }));
    expect(await tableContents(SCANNED, table)).toEqual([
      picture({ group_id: S('g1'), createdBy: S(BOB.newId), admins: { SS: [BOB.newId, 'bobby@x.com'] } }),
    ]);

    // A tampered object fails for good (non-retryable), naming the hash.
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: claim.key, Body: JSON.stringify([{ oldId: 'bob@x.com', newId: 'mallory' }]) }));
    const fresh = atActivityEdge(createTableRewriter(clients, { ruleFor, idMapCache: new IdMapCache() }));
    const failure = await mockEnvironment().run(fresh.rewriteTableScanSegment, input).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'ClaimCheckIntegrityError' });
    expect((failure as Error).message).toContain(`expected ${claim.sha256}`);
  });

  it('turn onConflict fail into a non-retryable failure carrying both keys', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    await put(table, { user: S('bob@x.com'), assistantId: S('a1') });
    await put(table, { user: S(BOB.newId), assistantId: S('a1'), v: S('other') });
    const activities = atActivityEdge(createTableRewriter(clients, { ruleFor, idMapCache: new IdMapCache() }));

    const input: RewriteTableForUserInput = { tableKey: BY_USER, table, oldId: 'bob@x.com', ids: [BOB], context, dryRun: false, onConflict: 'fail' };
    const failure = await mockEnvironment().run(activities.rewriteTableForUser, input).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      nonRetryable: true,
      type: 'RewriteConflict',
      details: [{ table, oldKey: { user: 'bob@x.com', assistantId: 'a1' }, newKey: { user: BOB.newId, assistantId: 'a1' }, reason: 'targetExists' }],
    });
  });

  it('look the rule up in the rules catalogue by default', async () => {
    const d = await freshDeployment(BY_USER);
    const table = d.tables[BY_USER];
    await put(table, { user: S('bob@x.com'), assistantId: S('a1') });
    const activities = atActivityEdge(createTableRewriter(clients, { idMapCache: new IdMapCache() }));
    const base = { table, oldId: 'bob@x.com', ids: [BOB], context, dryRun: true };

    // The catalogue's own rule for the aliases table (user → new id, item moves).
    const found: RewriteTableForUserInput = { ...base, tableKey: BY_USER };
    expect(await mockEnvironment().run(activities.rewriteTableForUser, found)).toEqual(
      counters({ itemsRead: 1, itemsWritten: 1, itemsMoved: 1 }),
    );
    // Never-migrated tables have no rule: a non-retryable failure, not a silent no-op.
    const missing: RewriteTableForUserInput = { ...base, tableKey: 'AMPLIFY_ADMIN_LOGS_DYNAMODB_TABLE' };
    const failure = await mockEnvironment().run(activities.rewriteTableForUser, missing).catch((e: unknown) => e);
    expect(failure).toMatchObject({ nonRetryable: true, type: 'NoTableRule' });
  });
});
