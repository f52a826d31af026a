/**
 * The per-user conversions of legacy rows + S3 objects into USER_DATA_STORAGE items, on the
 * moto server: exact items, dry runs that write nothing and count the same, re-runs that
 * write nothing, conflicts and missing objects reported, legacy rows and objects kept.
 */
import { randomBytes } from 'node:crypto';
import { PutItemCommand, ScanCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { provisionDeployment } from '../../client/seed/provision';
import { IdMapCache, putIdMapClaimCheck } from '../../activities/dynamo/idMapClaimCheck';
import { createUdsActivities } from '../../activities/uds/activities';
import { convertUserData, type ConvertUserDataInput } from '../../activities/uds/convertUserData';
import { buildDeployment, type BucketKey, type Deployment, type TableKey } from '../../src/deployment/catalogue';
import type { AttributeValue, Item } from '../../src/dynamo/attributeValue';
import type { IdPair } from '../../src/idmap/types';
import { totalWrites, type Totals } from '../../src/report/counters';
import type { UserConversion } from '../../src/plan/steps';
import { deterministicUuid, lzwUncompress } from '../../src/uds';
import type { IdMapRef } from '../../workflows/types';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const s = (v: string) => ({ S: v });
const n = (v: string | number) => ({ N: String(v) });
const m = (v: Record<string, AttributeValue>) => ({ M: v });
const l = (...v: AttributeValue[]) => ({ L: v });
const epoch = (...parts: [number, number, number, number?]) => Math.floor(Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3] ?? 0) / 1000);

const OLD = 'bob@x.com';
const NEW = 'bob.new+1@x.com';
/** The service's sanitised form of NEW, used in USER_DATA_STORAGE keys. */
const NEW_SAN = 'bob.new-1@x.com';
const pairs: IdPair[] = [
  { oldId: OLD, newId: NEW },
  { oldId: 'carol@x.edu', newId: 'sub-carol' },
];

const TABLES: TableKey[] = ['USER_DATA_STORAGE_TABLE', 'ARTIFACTS_DYNAMODB_TABLE', 'WORKFLOW_TEMPLATES_TABLE', 'SCHEDULED_TASKS_TABLE', 'SHARES_DYNAMODB_TABLE'];
const BUCKETS: BucketKey[] = ['S3_CONSOLIDATION_BUCKET_NAME', 'S3_ARTIFACTS_BUCKET', 'WORKFLOW_TEMPLATES_BUCKET', 'SCHEDULED_TASKS_LOGS_BUCKET', 'S3_SHARE_BUCKET_NAME'];

let deployment: Deployment;
let idMapRef: IdMapRef;

beforeAll(async () => {
  deployment = buildDeployment({ depName: uniqueDepName('udsc'), stage: 'dev' });
  await provisionDeployment(clients, deployment, { tables: TABLES, buckets: BUCKETS });
  const claim = await putIdMapClaimCheck(clients, deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, pairs);
  idMapRef = { ...claim, count: pairs.length, changesAnyId: true };
});

// ---- helpers ---------------------------------------------------------------------------

async function putItems(table: TableKey, items: Item[]): Promise<void> {
  for (const item of items) {
    await clients.dynamo.send(new PutItemCommand({ TableName: deployment.tables[table], Item: item as unknown as Record<string, SdkAttributeValue> }));
  }
}

async function putObject(bucket: BucketKey, key: string, body: string): Promise<void> {
  await clients.s3.send(new PutObjectCommand({ Bucket: deployment.buckets[bucket], Key: key, Body: body }));
}

async function objectBody(bucket: BucketKey, key: string): Promise<string> {
  const object = await clients.s3.send(new GetObjectCommand({ Bucket: deployment.buckets[bucket], Key: key }));
  return object.Body!.transformToString('utf-8');
}

async function listKeys(bucket: BucketKey, prefix = ''): Promise<string[]> {
  const page = await clients.s3.send(new ListObjectsV2Command({ Bucket: deployment.buckets[bucket], Prefix: prefix }));
  return (page.Contents ?? []).map((o) => o.Key!).sort();
}

const keyOf = (i: Item) => JSON.stringify([i.PK ?? i.id ?? i.user_id ?? i.user, i.SK ?? i.templateId ?? i.taskId ?? null]);

async function scanAll(table: TableKey): Promise<Item[]> {
  const items: Item[] = [];
  let start: Record<string, SdkAttributeValue> | undefined;
  do {
    const page = await clients.dynamo.send(new ScanCommand({ TableName: deployment.tables[table], ExclusiveStartKey: start, ConsistentRead: true }));
    items.push(...((page.Items ?? []) as Item[]));
    start = page.LastEvaluatedKey;
  } while (start);
  return items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
}

/** USER_DATA_STORAGE items of one partition. */
async function udsPartition(pk: string): Promise<Item[]> {
  return (await scanAll('USER_DATA_STORAGE_TABLE')).filter((i) => (i.PK as { S: string }).S === pk);
}

function udsItem(pk: string, sk: string, app: string, entityType: string, user: string, data: AttributeValue, createdAt: number): Item {
  return {
    PK: s(pk),
    SK: s(sk),
    UUID: s(deterministicUuid(`${pk}\n${sk}`)),
    data,
    appId: s(`${user}#${app}`),
    entityType: s(entityType),
    createdAt: n(createdAt),
  };
}

const input = (conversion: UserConversion, dryRun: boolean): ConvertUserDataInput => ({
  deployment,
  conversion,
  user: { oldId: OLD, newId: NEW },
  idMapRef,
  dryRun,
  onConflict: 'skip',
});

/**
 * The common course of every conversion: a dry run writes nothing, the real run writes
 * and counts what the dry run counted, a second run writes nothing and changes nothing,
 * and the legacy rows are still there.
 */
async function dryThenRealThenAgain(conversion: UserConversion, sourceTable: TableKey, betweenDryAndReal?: () => Promise<void>): Promise<Totals> {
  const udsBefore = await scanAll('USER_DATA_STORAGE_TABLE');
  const consolidationBefore = await listKeys('S3_CONSOLIDATION_BUCKET_NAME');
  const legacyRows = await scanAll(sourceTable);

  const planned = await convertUserData(clients, input(conversion, true));
  expect(await scanAll('USER_DATA_STORAGE_TABLE')).toEqual(udsBefore);
  expect(await listKeys('S3_CONSOLIDATION_BUCKET_NAME')).toEqual(consolidationBefore);
  await betweenDryAndReal?.();

  const done = await convertUserData(clients, input(conversion, false));
  expect(done).toEqual(planned);
  const udsAfter = await scanAll('USER_DATA_STORAGE_TABLE');

  const again = await convertUserData(clients, input(conversion, false));
  expect(totalWrites(again)).toBe(0);
  expect(await scanAll('USER_DATA_STORAGE_TABLE')).toEqual(udsAfter);
  expect(await scanAll(sourceTable)).toEqual(legacyRows);
  return done;
}

// ---- artifacts -------------------------------------------------------------------------

describe('artifacts', () => {
  const artifactEntry = (key: string, name: string, extra: Record<string, AttributeValue> = {}) =>
    m({ key: s(key), artifactId: s(name), name: s(name), type: s('code'), description: s(`${name} artifact`), createdAt: s('Mar 05, 2025'), tags: l(s('fun')), ...extra });
  const row: Item = {
    user_id: s(OLD),
    artifacts: l(
      artifactEntry(`${OLD}/20250305/Game:v3`, 'Game'),
      artifactEntry(`${OLD}/20250306/Notes:v1`, 'Notes', { sharedBy: s('carol@x.edu') }),
      artifactEntry(`${OLD}/20250307/Lost:v1`, 'Lost'),
      artifactEntry('20250101/Done:v1', 'Done'),
    ),
    createdAt: s('2025-03-05T10:00:00'),
    lastAccessed: s('2025-03-08T10:00:00'),
  };
  const otherUser: Item = { user_id: s('bobby@x.com'), artifacts: l(artifactEntry('bobby@x.com/20250305/Game:v1', 'Game')) };
  const game = `{"name": "Game", "version": 3, "score": 1.50, "contents": [{"type": "code", "content": "print('hi')"}], "tags": ["{'kind': 'game', 'level': 'hard'}"]}`;
  const notes = '{"text": "zoë says hi", "sharedBy": "carol@x.edu"}';

  beforeAll(async () => {
    await putItems('ARTIFACTS_DYNAMODB_TABLE', [row, otherUser]);
    await putObject('S3_ARTIFACTS_BUCKET', `${OLD}/20250305/Game:v3`, game);
    await putObject('S3_ARTIFACTS_BUCKET', `${OLD}/20250306/Notes:v1`, notes);
    await putObject('S3_ARTIFACTS_BUCKET', 'bobby@x.com/20250305/Game:v1', '{"name": "bobby game"}');
  });

  it('writes the owner\'s content under the new id and a shared copy under the sharer, reports the missing object', async () => {
    const done = await dryThenRealThenAgain('artifacts', 'ARTIFACTS_DYNAMODB_TABLE');

    expect(await udsPartition(`${NEW_SAN}#amplify-artifacts#artifact-content`)).toEqual([
      udsItem(`${NEW_SAN}#amplify-artifacts#artifact-content`, '20250305/Game:v3', 'amplify-artifacts', 'artifact-content', NEW_SAN,
        m({
          name: s('Game'),
          version: n(3),
          score: n('1.5'),
          contents: l(m({ type: s('code'), content: s("print('hi')") })),
          // The Python dict literal in a list, repaired as the legacy did.
          tags: l(m({ kind: s('game'), level: s('hard') })),
        }),
        epoch(2025, 3, 5)),
    ]);
    // The artifacts service reads a shared artifact from the sharer's partition.
    expect(await udsPartition('sub-carol#amplify-artifacts#artifact-content')).toEqual([
      udsItem('sub-carol#amplify-artifacts#artifact-content', `shared-with-${NEW}#20250306/Notes:v1`, 'amplify-artifacts', 'artifact-content', 'sub-carol',
        m({ text: s('zoë says hi'), sharedBy: s('carol@x.edu') }),
        epoch(2025, 3, 6)),
    ]);
    expect(await udsPartition('bobby@x.com#amplify-artifacts#artifact-content')).toEqual([]);

    expect(done.tables).toEqual({
      ARTIFACTS_DYNAMODB_TABLE: { itemsRead: 1, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 },
      USER_DATA_STORAGE_TABLE: { itemsRead: 0, itemsWritten: 2, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 },
    });
    expect(done.buckets).toEqual({ S3_ARTIFACTS_BUCKET: { objectsListed: 3, objectsCopied: 0, objectsSkipped: 0, bytesCopied: 0, conflicts: 0, failures: 1 } });
    expect(done.problems).toEqual([
      { kind: 'failure', where: 'S3_ARTIFACTS_BUCKET', user: OLD, source: `${OLD}/20250307/Lost:v1`, reason: 'content-missing: artifact object not loaded' },
    ]);
    // Nothing deleted at the source.
    expect(await listKeys('S3_ARTIFACTS_BUCKET')).toEqual(['bob@x.com/20250305/Game:v3', 'bob@x.com/20250306/Notes:v1', 'bobby@x.com/20250305/Game:v1']);
    expect(await objectBody('S3_ARTIFACTS_BUCKET', `${OLD}/20250305/Game:v3`)).toBe(game);
  });
});

// ---- workflow templates ----------------------------------------------------------------

describe('workflow templates', () => {
  const template = (id: string, extra: Record<string, AttributeValue> = {}): Item => ({
    user: s(OLD),
    templateId: s(id),
    name: s(`template ${id}`),
    isPublic: { BOOL: false },
    createdAt: s('2025-03-01T10:00:00'),
    ...extra,
  });
  const daily = '{"name": "Daily", "steps": [{"tool": "email", "args": {"to": "bob@x.com", "retries": 2}}], "enabled": true, "notes": null}';
  const edited = udsItem(`${NEW_SAN}#amplify-workflows#workflow-templates`, 'wt-4', 'amplify-workflows', 'workflow-templates', NEW_SAN, m({ name: s('Edited after the deployment') }), epoch(2025, 6, 1));

  beforeAll(async () => {
    await putItems('WORKFLOW_TEMPLATES_TABLE', [
      template('wt-1', { s3Key: s(`${OLD}/wt-1.json`) }),
      template('wt-2'), // already migrated: no s3Key
      template('wt-3', { s3Key: s(`${OLD}/wt-3.json`) }), // object missing
      template('wt-4', { s3Key: s(`${OLD}/wt-4.json`) }), // the user edited it under the new id
      { ...template('wt-1', { s3Key: s('bobby@x.com/wt-1.json') }), user: s('bobby@x.com') },
    ]);
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${OLD}/wt-1.json`, daily);
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${OLD}/wt-4.json`, '{"name": "Before the edit"}');
    await putObject('WORKFLOW_TEMPLATES_BUCKET', 'bobby@x.com/wt-1.json', '{"name": "bobby"}');
    await putItems('USER_DATA_STORAGE_TABLE', [edited]);
  });

  it('writes the template content under the new id, keeps the newer item (conflict), reports the missing object', async () => {
    const done = await dryThenRealThenAgain('workflowTemplates', 'WORKFLOW_TEMPLATES_TABLE');

    expect(await udsPartition(`${NEW_SAN}#amplify-workflows#workflow-templates`)).toEqual([
      udsItem(`${NEW_SAN}#amplify-workflows#workflow-templates`, 'wt-1', 'amplify-workflows', 'workflow-templates', NEW_SAN,
        m({
          name: s('Daily'),
          steps: l(m({ tool: s('email'), args: m({ to: s('bob@x.com'), retries: n(2) }) })),
          enabled: { BOOL: true },
          notes: { NULL: true },
        }),
        epoch(2025, 3, 1, 10)),
      edited,
    ]);
    expect(done.tables).toEqual({
      WORKFLOW_TEMPLATES_TABLE: { itemsRead: 4, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 },
      USER_DATA_STORAGE_TABLE: { itemsRead: 0, itemsWritten: 1, itemsMoved: 0, itemsUnchanged: 0, conflicts: 1, retries: 0, failures: 0 },
    });
    expect(done.buckets).toEqual({ WORKFLOW_TEMPLATES_BUCKET: { objectsListed: 3, objectsCopied: 0, objectsSkipped: 0, bytesCopied: 0, conflicts: 0, failures: 1 } });
    expect(done.problems).toEqual([
      { kind: 'failure', where: 'WORKFLOW_TEMPLATES_BUCKET', user: OLD, source: `${OLD}/wt-3.json`, reason: 'content-missing: template object not loaded' },
      {
        kind: 'conflict',
        where: 'USER_DATA_STORAGE_TABLE',
        user: OLD,
        source: `WORKFLOW_TEMPLATES_TABLE ${OLD}/wt-4.json`,
        target: `${NEW_SAN}#amplify-workflows#workflow-templates / wt-4`,
        reason: 'the key already holds a different item (newer data kept, ours not written)',
      },
    ]);
    expect(await listKeys('WORKFLOW_TEMPLATES_BUCKET')).toEqual(['bob@x.com/wt-1.json', 'bob@x.com/wt-4.json', 'bobby@x.com/wt-1.json']);
  });
});

// ---- scheduled-task logs ---------------------------------------------------------------

describe('scheduled-task logs', () => {
  const logEntry = (executionId: string, detailsKey?: string) =>
    m({
      executionId: s(executionId),
      executedAt: s('2025-03-01T00:00:00'),
      status: s('success'),
      source: s('schedule'),
      ...(detailsKey ? { detailsKey: s(detailsKey) } : {}),
    });
  const key = (task: string, exec: string) => `${OLD}/${task}/logs/${exec}.json`;
  const task = (taskId: string, ...logs: AttributeValue[]): Item => ({ user: s(OLD), taskId: s(taskId), name: s(`task ${taskId}`), logs: l(...logs), createdAt: s('2025-02-01T00:00:00') });
  const e1 = JSON.stringify({
    result: 'completed',
    steps: Array.from({ length: 40 }, (_, i) => ({ step: i, message: 'sent the daily summary email to bob@x.com', ok: true })),
    cost: 0.25,
  });
  const e2 = '{"a": 1}';
  const big = JSON.stringify({ output: randomBytes(330_000).toString('base64'), note: 'too large for one item' });
  const e4 = '{"status": "ok", "rows": 3}';

  beforeAll(async () => {
    await putItems('SCHEDULED_TASKS_TABLE', [
      task('task-1', logEntry('e1', key('task-1', 'e1')), logEntry('e2', key('task-1', 'e2')), logEntry('e3')),
      task('task-2', logEntry('big1', key('task-2', 'big1')), logEntry('e4', key('task-2', 'e4'))),
      task('task-3', logEntry('e5')), // nothing in S3
    ]);
    await putObject('SCHEDULED_TASKS_LOGS_BUCKET', key('task-1', 'e1'), e1);
    await putObject('SCHEDULED_TASKS_LOGS_BUCKET', key('task-1', 'e2'), e2);
    await putObject('SCHEDULED_TASKS_LOGS_BUCKET', key('task-2', 'big1'), big);
    await putObject('SCHEDULED_TASKS_LOGS_BUCKET', key('task-2', 'e4'), e4);
  });

  /** A stored log value decoded the way the service reads it. */
  function decode(value: AttributeValue): unknown {
    if ('L' in value) return lzwUncompress(value.L.map((c) => Number((c as { N: string }).N)));
    throw new Error(`not LZW-compressed: ${JSON.stringify(value).slice(0, 80)}`);
  }

  it('consolidates each task into one item (LZW as the service), archives what does not fit, leaves the logs in place', async () => {
    const done = await dryThenRealThenAgain('scheduledTaskLogs', 'SCHEDULED_TASKS_TABLE');
    const pk = `${NEW_SAN}#amplify-agent-logs#scheduled-task-logs`;
    const [item1, item2, ...rest] = await udsPartition(pk);
    expect(rest).toEqual([]);

    const logs1 = (item1.data as { M: { logs: { M: Record<string, AttributeValue> } } }).M.logs.M;
    expect(Object.keys(logs1).sort()).toEqual(['e1', 'e2']);
    expect(decode(logs1.e1)).toEqual(JSON.parse(e1));
    // Too short to gain from compression: stored as the map itself, as safe_compress does.
    expect(logs1.e2).toEqual(m({ a: n(1) }));
    expect(item1).toEqual(
      udsItem(pk, 'task-1', 'amplify-agent-logs', 'scheduled-task-logs', NEW_SAN, m({ taskId: s('task-1'), user: s(NEW), logs: m(logs1) }), epoch(2025, 2, 1)),
    );

    const logs2 = (item2.data as { M: { logs: { M: Record<string, AttributeValue> } } }).M.logs.M;
    expect(Object.keys(logs2)).toEqual(['e4']);
    expect(logs2.e4).toEqual(m({ status: s('ok'), rows: n(3) }));
    expect(item2).toEqual(
      udsItem(pk, 'task-2', 'amplify-agent-logs', 'scheduled-task-logs', NEW_SAN, m({ taskId: s('task-2'), user: s(NEW), logs: m(logs2) }), epoch(2025, 2, 1)),
    );
    // The execution that did not fit is in the service's own archive form.
    const archiveKey = `scheduledTaskLogs/${NEW}/task-2/big1.json`;
    expect(await listKeys('S3_CONSOLIDATION_BUCKET_NAME', 'scheduledTaskLogs/')).toEqual([archiveKey]);
    const archive = await objectBody('S3_CONSOLIDATION_BUCKET_NAME', archiveKey);
    expect(JSON.parse(archive)).toEqual(JSON.parse(big));

    expect(done.tables).toEqual({
      SCHEDULED_TASKS_TABLE: { itemsRead: 3, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 },
      USER_DATA_STORAGE_TABLE: { itemsRead: 0, itemsWritten: 2, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 },
    });
    expect(done.buckets).toEqual({
      SCHEDULED_TASKS_LOGS_BUCKET: { objectsListed: 4, objectsCopied: 0, objectsSkipped: 0, bytesCopied: 0, conflicts: 0, failures: 0 },
      S3_CONSOLIDATION_BUCKET_NAME: { objectsListed: 0, objectsCopied: 1, objectsSkipped: 0, bytesCopied: Buffer.byteLength(archive), conflicts: 0, failures: 0 },
    });
    // Archived in the service's own S3 form: worth reporting, not a failure.
    expect(done.failureCount).toBe(0);
    expect(done.problems).toEqual([
      {
        kind: 'warning',
        where: 'SCHEDULED_TASKS_LOGS_BUCKET',
        user: OLD,
        source: 'task-2',
        reason: `item-too-large-s3-form: item ${pk} / task-2 would exceed 400 KB; executions big1 archived to S3 instead`,
      },
    ]);
    expect(await listKeys('SCHEDULED_TASKS_LOGS_BUCKET')).toEqual([key('task-1', 'e1'), key('task-1', 'e2'), key('task-2', 'big1'), key('task-2', 'e4')].sort());
  });

  it('merges into an item the service already logged into, keeping its executions', async () => {
    const pk = `${NEW_SAN}#amplify-agent-logs#scheduled-task-logs`;
    const serviceLogged = udsItem(pk, 'task-9', 'amplify-agent-logs', 'scheduled-task-logs', NEW_SAN,
      m({ taskId: s('task-9'), user: s(NEW), logs: m({ e9: m({ by: s('service') }) }) }), epoch(2025, 5, 1));
    await putItems('USER_DATA_STORAGE_TABLE', [serviceLogged]);
    await putItems('SCHEDULED_TASKS_TABLE', [task('task-9', logEntry('e8', key('task-9', 'e8')))]);
    await putObject('SCHEDULED_TASKS_LOGS_BUCKET', key('task-9', 'e8'), '{"x": 1}');

    const totals = await convertUserData(clients, input('scheduledTaskLogs', false));
    expect(totals.tables.USER_DATA_STORAGE_TABLE).toMatchObject({ itemsWritten: 1, itemsUnchanged: 2, conflicts: 0 });
    const [merged] = (await udsPartition(pk)).filter((i) => (i.SK as { S: string }).S === 'task-9');
    expect(merged).toEqual({
      ...serviceLogged,
      data: m({ taskId: s('task-9'), user: s(NEW), logs: m({ e8: m({ x: n(1) }), e9: m({ by: s('service') }) }) }),
    });
  });
});

// ---- shares and user settings ----------------------------------------------------------

describe('received shares and user settings', () => {
  const rowId = `${OLD}/6a1f0c2e-1111-4c3b-9d55-0a1b2c3d4e5f`;
  const shareKey = (sharer: string, date: string, id: string) => `${OLD}/${sharer}/${date}/${id}.json`;
  const row: Item = {
    id: s(rowId),
    user: s(OLD),
    name: s('/state/share'),
    data: l(
      m({ sharedBy: s('carol@x.edu'), sharedAt: n('1741176000000'), note: s('look at this'), key: s(shareKey('carol@x.edu', '2025-03-05', 's1')) }),
      m({ sharedBy: s('dave@x.com'), sharedAt: n('1741262400000'), note: s(''), key: s(shareKey('dave@x.com', '2025-03-06', 's2')) }),
      m({ sharedBy: s('carol@x.edu'), sharedAt: n('1741348800000'), note: s('gone'), key: s(shareKey('carol@x.edu', '2025-03-07', 's3')) }),
      m({ note: s('an entry without sharedBy or key') }),
    ),
    settings: m({ theme: s('dark'), fontSize: n(14), beta: { BOOL: true } }),
    createdAt: n('1740000000000'),
    updatedAt: n('1741348800000'),
  };
  const bobbyRow: Item = { id: s('bobby@x.com/x'), user: s('bobby@x.com'), name: s('/state/share'), data: l(), settings: m({ theme: s('light') }) };
  const received = `${NEW_SAN}#amplify-shares#received`;
  // s2 already received under the new id, written by the service with its own SK.
  const serviceShare: Item = {
    PK: s(received),
    SK: s('dave@x.com#2025-03-06#0f0e0d0c-aaaa-4bbb-8ccc-123456789abc'),
    UUID: s('0f0e0d0c-aaaa-4bbb-8ccc-123456789abc'),
    data: m({ sharedBy: s('dave@x.com'), note: s(''), sharedAt: n('1741262400000'), key: s(`shares/${NEW}/dave@x.com/2025-03-06/s2.json`) }),
    appId: s(`${NEW_SAN}#amplify-shares`),
    entityType: s('received'),
    createdAt: n('1741262400'),
    itemId: s('dave@x.com#2025-03-06#0f0e0d0c-aaaa-4bbb-8ccc-123456789abc'),
  };
  const s1Consolidated = `shares/${NEW}/sub-carol/2025-03-05/s1.json`;

  beforeAll(async () => {
    await putItems('SHARES_DYNAMODB_TABLE', [row, bobbyRow]);
    await putItems('USER_DATA_STORAGE_TABLE', [serviceShare]);
    await putObject('S3_SHARE_BUCKET_NAME', shareKey('carol@x.edu', '2025-03-05', 's1'), '{"conversation": "s1"}');
    await putObject('S3_SHARE_BUCKET_NAME', shareKey('dave@x.com', '2025-03-06', 's2'), '{"conversation": "s2"}');
    // s3's object exists nowhere.
  });

  it('writes settings and received shares once their objects are consolidated; skips the duplicate; reports the missing object', async () => {
    // The S3 step copies the share objects between the plan (dry run) and the real run.
    const done = await dryThenRealThenAgain('shares', 'SHARES_DYNAMODB_TABLE', () => putObject('S3_CONSOLIDATION_BUCKET_NAME', s1Consolidated, '{"conversation": "s1"}'));

    const sk1 = `sub-carol#2025-03-05#${deterministicUuid(`share\n${shareKey('carol@x.edu', '2025-03-05', 's1')}`)}`;
    expect(await udsPartition(received)).toEqual([
      serviceShare,
      udsItem(received, sk1, 'amplify-shares', 'received', NEW_SAN,
        m({ sharedBy: s('sub-carol'), note: s('look at this'), sharedAt: n('1741176000000'), key: s(s1Consolidated) }),
        1741176000),
    ]);
    expect(await udsPartition(`${NEW_SAN}#amplify-user-settings#user-settings`)).toEqual([
      udsItem(`${NEW_SAN}#amplify-user-settings#user-settings`, 'user-settings', 'amplify-user-settings', 'user-settings', NEW_SAN,
        m({ settings: m({ theme: s('dark'), fontSize: n(14), beta: { BOOL: true } }) }),
        1740000000),
    ]);
    expect(await udsPartition('bobby@x.com#amplify-user-settings#user-settings')).toEqual([]);

    expect(done.tables).toEqual({
      SHARES_DYNAMODB_TABLE: { itemsRead: 1, itemsWritten: 0, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 },
      USER_DATA_STORAGE_TABLE: { itemsRead: 0, itemsWritten: 2, itemsMoved: 0, itemsUnchanged: 1, conflicts: 0, retries: 0, failures: 1 },
    });
    expect(done.buckets).toEqual({ S3_CONSOLIDATION_BUCKET_NAME: { objectsListed: 2, objectsCopied: 0, objectsSkipped: 0, bytesCopied: 0, conflicts: 0, failures: 0 } });
    expect(done.problems).toEqual([
      { kind: 'failure', where: 'SHARES_DYNAMODB_TABLE', user: OLD, source: `${rowId}[3]`, reason: 'entry-incomplete: share entry without sharedBy or key' },
      {
        kind: 'failure',
        where: 'S3_CONSOLIDATION_BUCKET_NAME',
        user: OLD,
        source: shareKey('carol@x.edu', '2025-03-07', 's3'),
        target: `shares/${NEW}/sub-carol/2025-03-07/s3.json`,
        reason: 'the share object is not in the consolidation bucket (not copied yet, or missing): share item not written',
      },
    ]);
    expect(await listKeys('S3_SHARE_BUCKET_NAME')).toEqual([shareKey('carol@x.edu', '2025-03-05', 's1'), shareKey('dave@x.com', '2025-03-06', 's2')]);
  });
});

// ---- the activity ----------------------------------------------------------------------

describe('convertUserData activity', () => {
  // Reads the rows seeded by the workflow-templates block above (same file, same deployment).
  it('runs inside an activity context, heartbeating as it goes', async () => {
    const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
    let beats = 0;
    env.on('heartbeat', () => beats++);
    const activities = createUdsActivities(clients, { idMapCache: new IdMapCache() });
    const totals = (await env.run(activities.convertUserData, input('workflowTemplates', true))) as Totals;
    expect(totals.tables.WORKFLOW_TEMPLATES_TABLE.itemsRead).toBe(4);
    expect(totalWrites(totals)).toBe(0); // everything already converted by the test above
    expect(beats).toBeGreaterThan(0);
  });
});

// ---- orphans (issue 10 §2): files under {old}/ that no row names -------------------------

describe('orphan workflow templates and scheduled-task logs', () => {
  const CAROL = 'carol@x.edu';
  const CAROL_NEW = 'sub-carol';
  const carolInput = (conversion: UserConversion, dryRun: boolean): ConvertUserDataInput => ({
    deployment,
    conversion,
    user: { oldId: CAROL, newId: CAROL_NEW },
    idMapRef,
    dryRun,
    onConflict: 'skip',
  });
  const templatesPk = `${CAROL_NEW}#amplify-workflows#workflow-templates`;
  const taken = udsItem(templatesPk, 'ct-taken', 'amplify-workflows', 'workflow-templates', CAROL_NEW, m({ name: s('the service wrote this') }), epoch(2025, 5, 1));
  const logKey = (task: string, exec: string) => `${CAROL}/${task}/logs/${exec}.json`;
  let orphanCreatedAt: number;

  beforeAll(async () => {
    await putItems('WORKFLOW_TEMPLATES_TABLE', [
      { user: s(CAROL), templateId: s('ct-1'), s3Key: s(`${CAROL}/ct-1.json`), isPublic: n(0), createdAt: s('2025-03-01T10:00:00') },
      // A row an earlier run already moved: its file is not an orphan.
      { user: s(CAROL_NEW), templateId: s('ct-moved'), isPublic: n(0), createdAt: s('2025-03-01T10:00:00') },
    ]);
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${CAROL}/ct-1.json`, '{"name": "With a row"}');
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${CAROL}/ct-orphan.json`, '{"name": "No row", "steps": ["{\'tool\': \'x\', \'to\': \'advisor\'}"]}');
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${CAROL}/ct-taken.json`, '{"name": "No row, but already in USER_DATA_STORAGE"}');
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${CAROL}/ct-moved.json`, '{"name": "Row under the new id"}');
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${CAROL}/notes.txt`, 'not a template');
    // Another user whose id extends carol's: never listed under `carol@x.edu/`.
    await putObject('WORKFLOW_TEMPLATES_BUCKET', 'carol@x.edu.au/ct-other.json', '{"name": "not carol\'s"}');
    await putItems('USER_DATA_STORAGE_TABLE', [taken]);
    const listed = await clients.s3.send(new ListObjectsV2Command({ Bucket: deployment.buckets.WORKFLOW_TEMPLATES_BUCKET, Prefix: `${CAROL}/ct-orphan` }));
    orphanCreatedAt = Math.floor(listed.Contents![0].LastModified!.getTime() / 1000);

    await putItems('SCHEDULED_TASKS_TABLE', [
      { user: s(CAROL), taskId: s('c-1'), logs: l(m({ executionId: s('e1'), detailsKey: s(logKey('c-1', 'e1')) })) },
      // Consolidated by an earlier run: the row keeps the execution, not the detailsKey.
      { user: s(CAROL_NEW), taskId: s('c-2'), logs: l(m({ executionId: s('e9'), status: s('success') })) },
    ]);
    for (const key of [logKey('c-1', 'e1'), logKey('c-2', 'e9'), logKey('c-1', 'stray'), logKey('gone', 'x')]) {
      await putObject('SCHEDULED_TASKS_LOGS_BUCKET', key, '{"ok": true}');
    }
  });

  it('imports an orphan template as the rescue does (same item, LastModified as createdAt), never over an existing key, deleting nothing', async () => {
    const run = (dryRun: boolean) => convertUserData(clients, carolInput('workflowTemplates', dryRun));
    const before = await udsPartition(templatesPk);
    const planned = await run(true);
    expect(await udsPartition(templatesPk)).toEqual(before);
    const done = await run(false);
    expect(done).toEqual(planned);
    expect(await udsPartition(templatesPk)).toEqual([
      udsItem(templatesPk, 'ct-1', 'amplify-workflows', 'workflow-templates', CAROL_NEW, m({ name: s('With a row') }), epoch(2025, 3, 1, 10)),
      udsItem(templatesPk, 'ct-orphan', 'amplify-workflows', 'workflow-templates', CAROL_NEW,
        m({ name: s('No row'), steps: l(m({ tool: s('x'), to: s('advisor') })) }), orphanCreatedAt),
      taken,
    ]);
    expect(done.tables.USER_DATA_STORAGE_TABLE).toEqual({ itemsRead: 0, itemsWritten: 2, itemsMoved: 0, itemsUnchanged: 0, conflicts: 0, retries: 0, failures: 0 });
    expect(done.problems).toEqual([]);
    expect(totalWrites(await run(false))).toBe(0);
    expect(await listKeys('WORKFLOW_TEMPLATES_BUCKET', CAROL)).toEqual(
      ['carol@x.edu.au/ct-other.json', `${CAROL}/ct-1.json`, `${CAROL}/ct-moved.json`, `${CAROL}/ct-orphan.json`, `${CAROL}/ct-taken.json`, `${CAROL}/notes.txt`].sort(),
    );
  });

  it('looks at the rows under the new id only when a listed file is an orphan candidate (issue 9: requests per user)', async () => {
    const DAVE = 'dave@x.edu';
    const DAVE_NEW = 'sub-dave';
    await putItems('WORKFLOW_TEMPLATES_TABLE', [{ user: s(DAVE), templateId: s('dt-1'), s3Key: s(`${DAVE}/dt-1.json`), isPublic: n(0), createdAt: s('2025-03-01T10:00:00') }]);
    await putObject('WORKFLOW_TEMPLATES_BUCKET', `${DAVE}/dt-1.json`, '{"name": "With a row"}');
    await putItems('SCHEDULED_TASKS_TABLE', [{ user: s(DAVE), taskId: s('d-1'), logs: l(m({ executionId: s('e1'), detailsKey: s(`${DAVE}/d-1/logs/e1.json`) })) }]);
    await putObject('SCHEDULED_TASKS_LOGS_BUCKET', `${DAVE}/d-1/logs/e1.json`, '{"ok": true}');
    // The hash-key values of every query the conversions send.
    const counted = testAwsClients();
    const queried: string[] = [];
    counted.dynamo.middlewareStack.add(
      (next) => async (args) => {
        const input = args.input as { KeyConditionExpression?: string; ExpressionAttributeValues?: Record<string, { S?: string }> };
        if (input.KeyConditionExpression) queried.push(...Object.values(input.ExpressionAttributeValues ?? {}).map((v) => v.S ?? ''));
        return next(args);
      },
      { step: 'initialize' },
    );
    for (const conversion of ['workflowTemplates', 'scheduledTaskLogs'] as const) {
      const done = await convertUserData(counted, { deployment, conversion, user: { oldId: DAVE, newId: DAVE_NEW }, idMapRef, dryRun: false, onConflict: 'skip' });
      expect(done.problems).toEqual([]);
      expect(done.tables.USER_DATA_STORAGE_TABLE?.itemsWritten).toBe(1);
    }
    expect(queried).toContain(DAVE);
    expect(queried).not.toContain(DAVE_NEW);
    // Carol has files no row under her old id names: her rows under the new id are looked at.
    await convertUserData(counted, carolInput('workflowTemplates', true));
    await convertUserData(counted, carolInput('scheduledTaskLogs', true));
    expect(queried.filter((v) => v === CAROL_NEW)).toHaveLength(2);
  });

  it('reports orphan logs (named by no task row, under the old or the new id) and deletes none', async () => {
    const done = await convertUserData(clients, carolInput('scheduledTaskLogs', false));
    const orphan = (key: string) => ({
      kind: 'warning',
      where: 'SCHEDULED_TASKS_LOGS_BUCKET',
      user: CAROL,
      source: key,
      reason: 'orphan log: no scheduled task names it; left in place (not imported, not deleted)',
    });
    expect(done.problems).toEqual([orphan(logKey('c-1', 'stray')), orphan(logKey('gone', 'x'))]);
    expect(done.failureCount).toBe(0);
    // A re-run (the row of c-1 has not moved here) reports the same orphans and nothing more.
    expect((await convertUserData(clients, carolInput('scheduledTaskLogs', false))).problems).toEqual(done.problems);
    expect(await listKeys('SCHEDULED_TASKS_LOGS_BUCKET', CAROL)).toEqual([logKey('c-1', 'e1'), logKey('c-1', 'stray'), logKey('c-2', 'e9'), logKey('gone', 'x')].sort());
  });
});
