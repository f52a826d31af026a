/**
 * The revert workflow on a hand-written ledger (the real stack: moto + the Temporal dev server):
 * a moved item moves back, an in-place update is undone, a created item and a copy go, a
 * parameter gets its old value back, an item the app wrote after the run survives as a
 * conflict, an unapplied entry changes nothing; a second revert finds everything as before.
 */
import { CreateTableCommand, GetItemCommand, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { s3LedgerSink } from '../../activities/ledger/s3Ledger';
import { buildDeployment } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import type { LedgerEntry } from '../../src/ledger/types';
import { revertWorkflow } from '../../workflows/revert';
import type { RevertReport } from '../../workflows/revertTypes';
import { testAwsClients, uniqueDepName } from '../support/aws';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

const clients = testAwsClients();
const deployment = buildDeployment({ depName: uniqueDepName('rv'), stage: 'dev' });
const bucket = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
const table = `${deployment.depName}-revert-test`;
const param = `/${deployment.depName}/revert/p`;
const runId = 'r-ledger-1';

const k = (pk: string): Item => ({ PK: { S: pk }, SK: { S: 's' } });
const put = (item: Item) => clients.dynamo.send(new PutItemCommand({ TableName: table, Item: item as Record<string, AttributeValue> }));
const get = async (pk: string) => (await clients.dynamo.send(new GetItemCommand({ TableName: table, Key: k(pk) as Record<string, AttributeValue>, ConsistentRead: true }))).Item;

describe('revert workflow on a hand-written ledger', () => {
  let temporal: TestTemporal;
  let first: RevertReport;
  let second: RevertReport;
  const oldA: Item = { ...k('alice@x'), n: { N: '1.50' }, b: { B: new Uint8Array([0, 1]) } };
  const newA: Item = { ...k('sub-a'), n: { N: '1.50' }, b: { B: new Uint8Array([0, 1]) } };
  const oldB: Item = { ...k('bob@x'), v: { S: 'b' } };
  const newB: Item = { ...k('sub-b'), v: { S: 'b' } };
  const before: Item = { ...k('shared'), owner: { S: 'alice@x' }, other: { S: '1' } };
  const after: Item = { ...k('shared'), owner: { S: 'sub-a' }, other: { S: '1' } };
  const created: Item = { ...k('uds#sub-a'), data: { S: 'x' } };

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.dynamo.send(
      new CreateTableCommand({
        TableName: table,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
      }),
    );
    await clients.ssm.send(new PutParameterCommand({ Name: param, Value: 'old', Type: 'String' }));
    const pre = await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'pre-existing.json', Body: 'keep' }));
    // What the run did, as it recorded it (write-ahead) and then wrote.
    const entries: LedgerEntry[] = [
      { kind: 'item', table, oldKey: k('alice@x'), old: { ...oldA, n: { N: '9' } }, newKey: k('sub-a'), new: { ...newA, n: { N: '9' } } }, // never applied (its condition failed)
      { kind: 'item', table, oldKey: k('alice@x'), old: oldA, newKey: k('sub-a'), new: newA },
      { kind: 'item', table, oldKey: k('bob@x'), old: oldB, newKey: k('sub-b'), new: newB },
      { kind: 'item', table, oldKey: k('shared'), old: before, newKey: k('shared'), new: after },
      { kind: 'item', table, newKey: k('uds#sub-a'), new: created },
      { kind: 'object', bucket, key: 'conversations/sub-a/c1.json', etag: '"x"', confirmed: false },
      { kind: 'parameter', name: param, previous: 'old', value: 'new' },
    ];
    const copy = await clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'conversations/sub-a/c1.json', Body: 'copied' }));
    entries.push({ kind: 'object', bucket, key: 'conversations/sub-a/c1.json', etag: copy.ETag, confirmed: true });
    expect(pre.ETag).toBeDefined();
    const sink = s3LedgerSink(clients, { bucket, runId }, 'test');
    await sink.record(entries.slice(0, 4));
    await sink.record(entries.slice(0, 4)); // a retried attempt
    await sink.record(entries.slice(4));
    for (const item of [newA, newB, after, created]) await put(item);
    await clients.ssm.send(new PutParameterCommand({ Name: param, Value: 'new', Type: 'String', Overwrite: true }));
    // The app writes to bob's migrated item after the run.
    await put({ ...newB, v: { S: 'app' } });

    const worker = await temporal.startWorker({ clients });
    const run = () =>
      temporal.client.workflow.execute(revertWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `revert-${deployment.depName}-${Date.now()}`,
        args: [{ runId, deployment, options: { dryRun: false, onConflict: 'skip', autoApprove: true } }],
      });
    await worker.runUntil(async () => {
      first = await run();
      second = await run();
    });
  });
  afterAll(async () => temporal?.close());

  it('puts back what the run wrote and nobody touched since', async () => {
    expect(await get('alice@x')).toEqual(oldA);
    expect(await get('sub-a')).toBeUndefined();
    expect(await get('shared')).toEqual(before);
    expect(await get('uds#sub-a')).toBeUndefined();
    expect((await clients.ssm.send(new GetParameterCommand({ Name: param }))).Parameter?.Value).toBe('old');
    await expect(clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'conversations/sub-a/c1.json' }))).rejects.toThrow();
    expect((await clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'pre-existing.json' }))).ETag).toBeDefined();
  });

  it("leaves the app's write in place and reports it as a conflict", async () => {
    expect(await get('sub-b')).toEqual({ ...newB, v: { S: 'app' } });
    expect(await get('bob@x')).toBeUndefined();
    expect(first.outcome).toBe('reverted-with-conflicts');
    expect(first.totals!.problems).toEqual([expect.objectContaining({ kind: 'conflict', where: table })]);
    expect(first.totals!.byWhere[table]).toEqual({ undone: 3, already: 0, conflicts: 1, overwritten: 0, refused: 0 });
    expect(first.totals!.superseded).toBe(6);
    expect(first.plan!.byWhere).toEqual(first.totals!.byWhere);
  });

  it('a second revert finds everything as before and changes nothing', () => {
    expect(second.totals!.byWhere[table]).toEqual({ undone: 0, already: 3, conflicts: 1, overwritten: 0, refused: 0 });
    expect(second.totals!.byWhere[bucket]).toEqual({ undone: 0, already: 1, conflicts: 0, overwritten: 0, refused: 0 });
    expect(second.totals!.byWhere['Parameter Store']).toEqual({ undone: 0, already: 1, conflicts: 0, overwritten: 0, refused: 0 });
  });
});
