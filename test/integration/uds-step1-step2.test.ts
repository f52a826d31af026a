/**
 * USER_DATA_STORAGE Step 1 (ids in existing items) and Step 2 (the old basic-ops table,
 * live or from its export) on the moto server: exact items after each run, dry runs that
 * write nothing and count the same, re-runs that write nothing.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PutItemCommand, ScanCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createBucket, createTable } from '../../client/seed/provision';
import { IdMapCache, putIdMapClaimCheck } from '../../activities/dynamo/idMapClaimCheck';
import { createUdsActivities } from '../../activities/uds/activities';
import { atActivityEdge } from '../../activities/failures';
import { migrateUserDataStorageSegment, type Step1Progress } from '../../activities/uds/step1';
import { importOldUserStorageSegment, type Step2Progress } from '../../activities/uds/step2';
import type { SegmentInput } from '../../activities/contract';
import { ExportMissingError } from '../../activities/uds/exportSource';
import { toExportLine as toBareExportLine } from '../../src/backup/exportLines';
import { buildDeployment, type Deployment } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import type { IdPair } from '../../src/idmap/types';
import { emptyTotals, mergeTotals, totalWrites, type Totals } from '../../src/report/counters';
import type { IdMapRef, OnConflict } from '../../workflows/types';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const s = (v: string) => ({ S: v });
const n = (v: string) => ({ N: v });

const udsItem = (pk: string, sk: string, appId: string, entityType: string, data: Item = {}, extra: Item = {}): Item => ({
  PK: s(pk),
  SK: s(sk),
  UUID: s(`uuid-${pk}-${sk}`),
  data: { M: data },
  appId: s(appId),
  entityType: s(entityType),
  createdAt: n('1741000000'),
  ...extra,
});

async function newDeployment(tables: Array<'USER_DATA_STORAGE_TABLE' | 'OLD_USER_STORAGE_TABLE'>): Promise<Deployment> {
  const deployment = buildDeployment({ depName: uniqueDepName('uds'), stage: 'dev' });
  for (const table of tables) await createTable(clients, deployment, table);
  await createBucket(clients, deployment, 'S3_CONSOLIDATION_BUCKET_NAME');
  return deployment;
}

async function storeIds(deployment: Deployment, pairs: IdPair[]): Promise<IdMapRef> {
  const claim = await putIdMapClaimCheck(clients, deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, pairs);
  return { ...claim, count: pairs.length, changesAnyId: pairs.some((p) => p.oldId !== p.newId) };
}

async function putAll(table: string, items: Item[]): Promise<void> {
  for (const item of items) {
    await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: item as unknown as Record<string, SdkAttributeValue> }));
  }
}

const byKey = (a: Item, b: Item): number => {
  const ka = `${(a.PK as { S: string }).S}\u0000${(a.SK as { S: string }).S}`;
  const kb = `${(b.PK as { S: string }).S}\u0000${(b.SK as { S: string }).S}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};

async function scanAll(table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, SdkAttributeValue> | undefined;
  do {
    const page = await clients.dynamo.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort(byKey);
}

const sorted = (items: Item[]) => [...items].sort(byKey);

function segmentInput(deployment: Deployment, idMapRef: IdMapRef, dryRun: boolean, segment = 0, totalSegments = 1, onConflict: OnConflict = 'skip'): SegmentInput {
  return { deployment, idMapRef, dryRun, onConflict, segment, totalSegments };
}

/** Both segments of a two-segment scan, summed. */
async function step1(deployment: Deployment, idMapRef: IdMapRef, dryRun: boolean): Promise<Totals> {
  let totals = emptyTotals();
  for (const segment of [0, 1]) {
    totals = mergeTotals(totals, await migrateUserDataStorageSegment(clients, segmentInput(deployment, idMapRef, dryRun, segment, 2), { pageSize: 2 }));
  }
  return totals;
}

describe('Step 1: ids in existing USER_DATA_STORAGE items', () => {
  const pairs: IdPair[] = [
    { oldId: 'bob@x.com', newId: 'sub-bob' },
    { oldId: 'bobby@x.com', newId: 'sub-bobby' },
    { oldId: 'a+b@x.com', newId: 'c+d@x.com' },
    { oldId: 'zoë@x.de', newId: 'zoë.neu@x.de' },
  ];

  // Scenario A: the ids change.
  const before: Item[] = [
    udsItem('bob@x.com#amplify-workflows#workflow-templates', 't1', 'bob@x.com#amplify-workflows', 'workflow-templates', { name: s('bob template') }),
    udsItem('bobby@x.com#amplify-workflows#workflow-templates', 't1', 'bobby@x.com#amplify-workflows', 'workflow-templates', { name: s('bobby template') }),
    udsItem('bobbie@x.com#amplify-workflows#workflow-templates', 't1', 'bobbie@x.com#amplify-workflows', 'workflow-templates', { name: s('not in the map') }),
    // The service writes the sanitised id: `+` became `-`, `ë` became `-`.
    udsItem('a-b@x.com#amplify-user-settings#user-settings', 'user-settings', 'a-b@x.com#amplify-user-settings', 'user-settings', {
      settings: { M: { theme: s('dark'), size: n('14') } },
    }),
    udsItem('zo-@x.de#amplify-artifacts#artifact-content', '20250101/A:v1', 'zo-@x.de#amplify-artifacts', 'artifact-content', { v: n('1') }),
    udsItem('bob@x.com#amplify-shares#received', 'bobby@x.com#2025-03-05#u1', 'bob@x.com#amplify-shares', 'received', {
      sharedBy: s('bobby@x.com'),
      note: s('hi'),
      sharedAt: n('1741176000000'),
      key: s('bob@x.com/bobby@x.com/2025-03-05/u1.json'),
    }),
    // Malformed family left by an earlier migration (old id through the app sanitiser).
    udsItem('sub-bob#bob-x-com-amplify-user-settings#user-settings', 'user-settings', 'sub-bob#bob-x-com-amplify-user-settings', 'user-settings', {
      settings: { M: { theme: s('light') } },
    }),
    // bobby was active under his new id: the new key holds different data.
    udsItem('bobby@x.com#amplify-agent-logs#scheduled-task-logs', 'task9', 'bobby@x.com#amplify-agent-logs', 'scheduled-task-logs', { taskId: s('task9'), v: s('old') }),
    udsItem('sub-bobby#amplify-agent-logs#scheduled-task-logs', 'task9', 'sub-bobby#amplify-agent-logs', 'scheduled-task-logs', { taskId: s('task9'), v: s('newer') }),
  ];

  const after: Item[] = sorted([
    { ...before[0], PK: s('sub-bob#amplify-workflows#workflow-templates'), appId: s('sub-bob#amplify-workflows') },
    { ...before[1], PK: s('sub-bobby#amplify-workflows#workflow-templates'), appId: s('sub-bobby#amplify-workflows') },
    before[2],
    { ...before[3], PK: s('c-d@x.com#amplify-user-settings#user-settings'), appId: s('c-d@x.com#amplify-user-settings') },
    { ...before[4], PK: s('zo-.neu@x.de#amplify-artifacts#artifact-content'), appId: s('zo-.neu@x.de#amplify-artifacts') },
    udsItem('sub-bob#amplify-shares#received', 'sub-bobby#2025-03-05#u1', 'sub-bob#amplify-shares', 'received', {
      sharedBy: s('sub-bobby'),
      note: s('hi'),
      sharedAt: n('1741176000000'),
      key: s('shares/sub-bob/sub-bobby/2025-03-05/u1.json'),
    }, { UUID: before[5].UUID }),
    { ...before[6], PK: s('sub-bob#amplify-user-settings#user-settings'), appId: s('sub-bob#amplify-user-settings') },
    before[7],
    before[8],
  ]);

  it('scenario A: moves ids exactly (bob vs bobby, +, non-ASCII), repairs malformed families, reports the conflict; dry run first, re-run idempotent', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const table = deployment.tables.USER_DATA_STORAGE_TABLE;
    const idMapRef = await storeIds(deployment, pairs);
    await putAll(table, before);

    const planned = await step1(deployment, idMapRef, true);
    expect(await scanAll(table)).toEqual(sorted(before));

    const done = await step1(deployment, idMapRef, false);
    expect(await scanAll(table)).toEqual(after);
    // A scan that moves items can meet a moved item again further on (the legacy's hazard too,
    // harmless here: it is then already in its final form). Such revisits count as read and
    // unchanged, so only the items needing work are exact, and equal to the dry run's.
    const counters = done.tables.USER_DATA_STORAGE_TABLE;
    expect(counters).toMatchObject({ itemsWritten: 6, itemsMoved: 6, conflicts: 1, retries: 0, failures: 0 });
    expect(counters.itemsRead - counters.itemsUnchanged).toBe(7);
    expect(counters.itemsRead).toBeGreaterThanOrEqual(9);
    expect(planned.tables).toEqual({
      USER_DATA_STORAGE_TABLE: { itemsRead: 9, itemsWritten: 6, itemsMoved: 6, itemsUnchanged: 2, conflicts: 1, retries: 0, failures: 0 },
    });
    expect(done.conflictCount).toBe(1);
    expect(done.failureCount).toBe(0);
    expect(done.problems).toEqual([
      {
        kind: 'conflict',
        where: 'USER_DATA_STORAGE_TABLE',
        source: 'bobby@x.com#amplify-agent-logs#scheduled-task-logs / task9',
        target: 'sub-bobby#amplify-agent-logs#scheduled-task-logs / task9',
        reason: 'the new key already holds a different item; both left as they are',
      },
    ]);
    expect({ ...planned, tables: {} }).toEqual({ ...done, tables: {} });

    const again = await step1(deployment, idMapRef, false);
    expect(totalWrites(again)).toBe(0);
    expect(again.tables.USER_DATA_STORAGE_TABLE).toEqual({ itemsRead: 9, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 8, conflicts: 1, retries: 0, failures: 0 });
    expect(await scanAll(table)).toEqual(after);
  });

  it('scenario B (same ids): nothing changes, nothing is deleted', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const table = deployment.tables.USER_DATA_STORAGE_TABLE;
    const same = pairs.map((p) => ({ oldId: p.oldId, newId: p.oldId }));
    const idMapRef = await storeIds(deployment, same);
    const items = sorted(before.slice(0, 6));
    await putAll(table, items);

    const totals = await step1(deployment, idMapRef, false);
    expect(await scanAll(table)).toEqual(items);
    expect(totals.tables.USER_DATA_STORAGE_TABLE).toEqual({ itemsRead: 6, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 6, conflicts: 0, retries: 0, failures: 0 });
    expect(totals.problemCount).toBe(0);
  });

  it('an ambiguous sanitised id is left unchanged and reported once', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const table = deployment.tables.USER_DATA_STORAGE_TABLE;
    const idMapRef = await storeIds(deployment, [
      { oldId: 'a+b@x.com', newId: 'one' },
      { oldId: 'a-b@x.com', newId: 'two' },
    ]);
    const item = udsItem('a-b@x.com#amplify-workflows#workflow-templates', 't', 'a-b@x.com#amplify-workflows', 'workflow-templates');
    await putAll(table, [item]);
    const totals = await migrateUserDataStorageSegment(clients, segmentInput(deployment, idMapRef, false));
    expect(await scanAll(table)).toEqual([item]);
    expect(totals.tables.USER_DATA_STORAGE_TABLE).toEqual({ itemsRead: 1, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 1, conflicts: 0, retries: 0, failures: 2 });
    expect(totals.problems.map((p) => [p.kind, p.source])).toEqual([
      ['failure', 'a-b@x.com#amplify-workflows#workflow-templates'],
      ['failure', 'a-b@x.com#amplify-workflows'],
    ]);
  });

  it('the activity heartbeats a cursor after each page and resumes from it', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const table = deployment.tables.USER_DATA_STORAGE_TABLE;
    const idMapRef = await storeIds(deployment, pairs);
    await putAll(table, before);

    const beats: Step1Progress[] = [];
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    env.on('heartbeat', (details: unknown) => beats.push(details as Step1Progress));
    const activities = createUdsActivities(clients, { idMapCache: new IdMapCache(), pageSize: 3 });
    const totals = (await env.run(activities.migrateUserDataStorageSegment, segmentInput(deployment, idMapRef, false))) as Totals;
    expect(beats.length).toBeGreaterThanOrEqual(3);
    expect(beats[beats.length - 1].cursor).toBeNull();
    expect(beats[0].cursor).not.toBeNull();
    expect(totals.tables.USER_DATA_STORAGE_TABLE).toMatchObject({ itemsWritten: 6, itemsMoved: 6, conflicts: 1 });
    expect(await scanAll(table)).toEqual(after);

    // A finished segment's last heartbeat: the retried attempt reports it without scanning again.
    const resumed = await migrateUserDataStorageSegment(clients, segmentInput(deployment, idMapRef, false), { resumeFrom: beats[beats.length - 1] });
    expect(resumed).toEqual(totals);
  });
});

describe('Step 2: the old basic-ops user-storage table into USER_DATA_STORAGE', () => {
  const pairs: IdPair[] = [
    { oldId: 'bob@x.com', newId: 'sub-bob' },
    { oldId: 'bobby@x.com', newId: 'sub-bobby' },
  ];
  const oldItems: Item[] = [
    udsItem('bob@x.com#my-app#notes', 'note-1#2025', 'bob@x.com#my-app', 'notes', { text: s('hi'), amount: n('1.50') }, {
      rangeKey: s('2025'),
      blob: { B: new Uint8Array([0, 1, 2, 255]) },
      tags: { SS: ['a', 'b'] },
    }),
    udsItem('dave@x.com#app#e', 'k1', 'dave@x.com#app', 'e', { flag: { BOOL: false }, nothing: { NULL: true } }),
    udsItem('bobby@x.com#amplify-shares#received', 'bob@x.com#2025-01-01#u9', 'bobby@x.com#amplify-shares', 'received', {
      sharedBy: s('bob@x.com'),
      key: s('bobby@x.com/bob@x.com/2025-01-01/u9.json'),
    }),
    udsItem('bob@x.com#amplify-user-settings#user-settings', 'user-settings', 'bob@x.com#amplify-user-settings', 'user-settings', { settings: { M: { theme: s('dark') } } }),
  ];
  // The new service wrote bob's settings after the deployment: newer, must be kept.
  const newer = udsItem('sub-bob#amplify-user-settings#user-settings', 'user-settings', 'sub-bob#amplify-user-settings', 'user-settings', {
    settings: { M: { theme: s('light') } },
  }, { createdAt: n('1760000000'), itemId: s('user-settings') });

  const expected: Item[] = sorted([
    { ...oldItems[0], PK: s('sub-bob#my-app#notes'), appId: s('sub-bob#my-app'), itemId: s('note-1') },
    { ...oldItems[1], itemId: s('k1') },
    {
      ...oldItems[2],
      PK: s('sub-bobby#amplify-shares#received'),
      SK: s('sub-bob#2025-01-01#u9'),
      appId: s('sub-bobby#amplify-shares'),
      data: { M: { sharedBy: s('sub-bob'), key: s('shares/sub-bobby/sub-bob/2025-01-01/u9.json') } },
      itemId: s('sub-bob#2025-01-01#u9'),
    },
    newer,
  ]);
  const expectedCounts = {
    OLD_USER_STORAGE_TABLE: { itemsRead: 4, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 },
    USER_DATA_STORAGE_TABLE: { itemsRead: 0, itemsWritten: 3, itemsMoved: 0, itemsUnchanged: 0, conflicts: 1, retries: 0, failures: 0 },
  };
  const conflict = {
    kind: 'conflict',
    where: 'USER_DATA_STORAGE_TABLE',
    target: 'sub-bob#amplify-user-settings#user-settings / user-settings',
    reason: 'the key already holds a different item (newer data kept, ours not written)',
  };

  let tmp: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'uds-step2-'));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  async function step2(deployment: Deployment, idMapRef: IdMapRef, dryRun: boolean, exportLocation?: string): Promise<Totals> {
    let totals = emptyTotals();
    for (const segment of [0, 1]) {
      const input = { ...segmentInput(deployment, idMapRef, dryRun, segment, 2), exportLocation };
      totals = mergeTotals(totals, await importOldUserStorageSegment(clients, input, { pageSize: 2 }));
    }
    return totals;
  }

  it('from the live table: translates, keeps the newer item (conflict), leaves the old table; dry run and re-run write nothing', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE', 'OLD_USER_STORAGE_TABLE']);
    const idMapRef = await storeIds(deployment, pairs);
    await putAll(deployment.tables.OLD_USER_STORAGE_TABLE, oldItems);
    await putAll(deployment.tables.USER_DATA_STORAGE_TABLE, [newer]);

    const planned = await step2(deployment, idMapRef, true);
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual([newer]);

    const done = await step2(deployment, idMapRef, false);
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual(expected);
    expect(await scanAll(deployment.tables.OLD_USER_STORAGE_TABLE)).toEqual(sorted(oldItems));
    expect(done.tables).toEqual(expectedCounts);
    expect(done.problems).toEqual([{ ...conflict, source: `${deployment.tables.OLD_USER_STORAGE_TABLE}: bob@x.com#amplify-user-settings#user-settings / user-settings` }]);
    expect(planned).toEqual(done);

    const again = await step2(deployment, idMapRef, false);
    expect(totalWrites(again)).toBe(0);
    expect(again.tables.USER_DATA_STORAGE_TABLE).toEqual({ ...expectedCounts.USER_DATA_STORAGE_TABLE, itemsWritten: 0, itemsUnchanged: 3 });
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual(expected);
  });

  it('from an export file (both line forms) gives the same items; only segment 0 reads it; resumes by line', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const idMapRef = await storeIds(deployment, pairs);
    await putAll(deployment.tables.USER_DATA_STORAGE_TABLE, [newer]);
    const file = path.join(tmp, 'old-user-storage.jsonl');
    // The backup exporter's bare lines, an AWS-style {"Item": …} line, and a blank line.
    await writeFile(file, `${toBareExportLine(oldItems[0])}\n{"Item":${toBareExportLine(oldItems[1])}}\n\n${toBareExportLine(oldItems[2])}\n${toBareExportLine(oldItems[3])}\n`);

    const other = await importOldUserStorageSegment(clients, { ...segmentInput(deployment, idMapRef, false, 1, 2), exportLocation: file });
    expect(other).toEqual(emptyTotals());

    const planned = await step2(deployment, idMapRef, true, file);
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual([newer]);

    const beats: Step2Progress[] = [];
    const done = await importOldUserStorageSegment(
      clients,
      { ...segmentInput(deployment, idMapRef, false, 0, 2), exportLocation: file },
      { pageSize: 2, onProgress: (p) => beats.push(p) },
    );
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual(expected);
    expect(done.tables).toEqual(expectedCounts);
    expect(done.problems).toEqual([{ ...conflict, source: `${deployment.tables.OLD_USER_STORAGE_TABLE}: bob@x.com#amplify-user-settings#user-settings / user-settings` }]);
    expect(planned).toEqual(done);
    expect(beats.map((b) => [b.nextLine, b.done])).toEqual([
      [2, false],
      [5, false],
      [undefined, true],
    ]);

    // Resumed after the first page: only the remaining lines are read.
    const resumed = await importOldUserStorageSegment(
      clients,
      { ...segmentInput(deployment, idMapRef, false, 0, 2), exportLocation: file },
      { pageSize: 2, resumeFrom: { ...beats[0], totals: emptyTotals() } },
    );
    expect(resumed.tables.OLD_USER_STORAGE_TABLE.itemsRead).toBe(2);
    expect(totalWrites(resumed)).toBe(0);
  });

  it('from an export in S3 (s3://bucket/key) gives the same items', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const idMapRef = await storeIds(deployment, pairs);
    await putAll(deployment.tables.USER_DATA_STORAGE_TABLE, [newer]);
    const bucket = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    const key = 'amplify-migrate/exports/run-1/old-user-storage.jsonl';
    await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: oldItems.map((i) => `${toBareExportLine(i)}\n`).join('') }));

    const done = await step2(deployment, idMapRef, false, `s3://${bucket}/${key}`);
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual(expected);
    expect(done.tables).toEqual(expectedCounts);
  });

  it('a missing export is an error no retry can fix', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const idMapRef = await storeIds(deployment, pairs);
    const input = { ...segmentInput(deployment, idMapRef, false), exportLocation: path.join(tmp, 'missing.jsonl') };
    await expect(importOldUserStorageSegment(clients, input)).rejects.toBeInstanceOf(ExportMissingError);
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    await expect(env.run(atActivityEdge(createUdsActivities(clients, { idMapCache: new IdMapCache() })).importOldUserStorageSegment, input)).rejects.toMatchObject({ type: 'ExportMissing', nonRetryable: true });
  });

  it('no old table and no export: nothing to do', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE']);
    const idMapRef = await storeIds(deployment, pairs);
    expect(await step2(deployment, idMapRef, false)).toEqual(emptyTotals());
  });

  it('onConflict overwrite replaces the existing item and reports it', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE', 'OLD_USER_STORAGE_TABLE']);
    const idMapRef = await storeIds(deployment, pairs);
    await putAll(deployment.tables.OLD_USER_STORAGE_TABLE, [oldItems[3]]);
    await putAll(deployment.tables.USER_DATA_STORAGE_TABLE, [newer]);
    const totals = await importOldUserStorageSegment(clients, segmentInput(deployment, idMapRef, false, 0, 1, 'overwrite'));
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual([
      { ...oldItems[3], PK: s('sub-bob#amplify-user-settings#user-settings'), appId: s('sub-bob#amplify-user-settings'), itemId: s('user-settings') },
    ]);
    expect(totals.tables.USER_DATA_STORAGE_TABLE).toMatchObject({ itemsWritten: 1, conflicts: 1 });
    expect(totals.problems.map((p) => p.reason)).toEqual(['the key held a different item; replaced (onConflict overwrite)']);
  });

  it('onConflict fail: the activity fails without retry and writes nothing', async () => {
    const deployment = await newDeployment(['USER_DATA_STORAGE_TABLE', 'OLD_USER_STORAGE_TABLE']);
    const idMapRef = await storeIds(deployment, pairs);
    await putAll(deployment.tables.OLD_USER_STORAGE_TABLE, [oldItems[3]]);
    await putAll(deployment.tables.USER_DATA_STORAGE_TABLE, [newer]);
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    const activities = atActivityEdge(createUdsActivities(clients, { idMapCache: new IdMapCache() }));
    await expect(env.run(activities.importOldUserStorageSegment, segmentInput(deployment, idMapRef, false, 0, 1, 'fail'))).rejects.toMatchObject({
      type: 'UdsConflict',
      nonRetryable: true,
    });
    expect(await scanAll(deployment.tables.USER_DATA_STORAGE_TABLE)).toEqual([newer]);
  });
});
