/**
 * Interference (issue 12) on the real stack: a scenario A migration, then the live application
 * writes to two migrated items, then a revert. The app's writes survive: a moved item the app
 * wrote to stays at its new key, reported as the one conflict; an item updated in place gets
 * back the attributes the run changed while the attribute the app added stays. Everything else
 * is exactly as before the run.
 */
import { GetItemCommand, PutItemCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { readLedger } from '../../activities/ledger/s3Ledger';
import { TABLE_KEYS, type TableKey } from '../../src/deployment/catalogue';
import { itemEquals, type Item } from '../../src/dynamo/attributeValue';
import { entryFingerprint } from '../../src/ledger/plan';
import { isMove, type ItemEntry } from '../../src/ledger/types';
import { migrationWorkflow } from '../../workflows/migration';
import { revertWorkflow } from '../../workflows/revert';
import type { RevertReport } from '../../workflows/revertTypes';
import type { MigrationReport } from '../../workflows/types';
import { testAwsClients } from '../support/aws';
import { canonical, scanAll } from '../support/emulator';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { RUN_ARTIFACT_PREFIXES, snapshotDeployment, snapshotDiff, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

jest.setTimeout(900_000);

const APP = { appNote: { S: 'written by the app after the run' } };

describe('revert after the app wrote to migrated items', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let seeded: SeededDeployment;
  let before: DeploymentSnapshot;
  let after: DeploymentSnapshot;
  let report: MigrationReport;
  let revert: RevertReport;
  let moved: ItemEntry;
  let inPlace: ItemEntry;
  const tableKey = (physical: string) => TABLE_KEYS.find((t) => seeded.deployment.tables[t] === physical)!;
  const get = async (table: string, key: Item) =>
    (await clients.dynamo.send(new GetItemCommand({ TableName: table, Key: key as Record<string, SdkAttributeValue>, ConsistentRead: true }))).Item as Item | undefined;
  const put = (table: string, item: Item) => clients.dynamo.send(new PutItemCommand({ TableName: table, Item: item as Record<string, SdkAttributeValue> }));

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    seeded = await seedDeployment(clients, { scenario: 'A', users: 3 });
    const { deployment } = seeded;
    const bucket = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
    const runId = `ri${Date.now()}`;
    const input = await migrationInput(clients, deployment, seeded.sample.users, testOptions({ skipBackups: true }), runId);
    const snapshot = () => snapshotDeployment(clients, deployment, { ignorePrefixes: RUN_ARTIFACT_PREFIXES });
    before = await snapshot();
    const raw = new Map<TableKey, Item[]>();
    for (const t of TABLE_KEYS) raw.set(t, await scanAll(clients, deployment.tables[t]));
    const worker = await temporal.startWorker({ clients });
    await worker.runUntil(async () => {
      report = await temporal.client.workflow.execute(migrationWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `migration-${deployment.depName}-dev`,
        args: [input],
        memo: { runId, ledgerBucket: bucket },
      });
      // Two items the run wrote exactly once (one ledger entry on each slot they touch), as it left them.
      const items = (await readLedger(clients, { bucket, runId })).filter((e): e is ItemEntry => e.kind === 'item');
      const slots = (e: ItemEntry) => [e.oldKey, e.newKey].filter((k): k is Item => k !== undefined).map((k) => `${e.table} ${canonical(k)}`);
      const writers = new Map<string, Set<string>>();
      for (const e of items) for (const slot of slots(e)) writers.set(slot, (writers.get(slot) ?? new Set()).add(entryFingerprint(e)));
      const once = (e: ItemEntry) => slots(e).every((slot) => writers.get(slot)!.size === 1);
      const asBefore = (e: ItemEntry) => (raw.get(tableKey(e.table)) ?? []).some((item) => itemEquals(item, e.old!));
      const candidates = items.filter((e) => e.old && e.table !== deployment.tables.USER_DATA_STORAGE_TABLE && once(e) && asBefore(e));
      const asLeft = async (e: ItemEntry) => itemEquals((await get(e.table, e.newKey)) ?? {}, e.new);
      for (const e of candidates.filter(isMove)) if (!moved && (await asLeft(e))) moved = e;
      for (const e of candidates.filter((c) => !isMove(c) && c.table !== moved?.table)) if (!inPlace && (await asLeft(e))) inPlace = e;
      expect(moved).toBeDefined();
      expect(inPlace).toBeDefined();
      // The live application writes to both after the run.
      await put(moved.table, { ...moved.new, ...APP });
      await put(inPlace.table, { ...inPlace.new, ...APP });
      revert = await temporal.client.workflow.execute(revertWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `revert-${deployment.depName}-dev`,
        args: [{ runId, deployment, options: { dryRun: false, onConflict: 'skip', autoApprove: true } }],
      });
    });
    after = await snapshot();
  });
  afterAll(async () => temporal?.close());

  it('reports the moved item the app wrote to as the only conflict', () => {
    expect(report.outcome).toBe('succeeded');
    expect(revert.outcome).toBe('reverted-with-conflicts');
    expect(revert.totals!.problemCount).toBe(1);
    expect(revert.totals!.problems).toEqual([expect.objectContaining({ kind: 'conflict', where: moved.table })]);
    expect(revert.totals!.byWhere[moved.table].conflicts).toBe(1);
  });

  it("keeps the app's writes and reverts everything else exactly", async () => {
    expect(await get(moved.table, moved.newKey)).toEqual({ ...moved.new, ...APP });
    expect(await get(moved.table, moved.oldKey!)).toBeUndefined();
    expect(await get(inPlace.table, inPlace.newKey)).toEqual({ ...inPlace.old, ...APP });
    const edit = (lines: string[], remove: Item, add: Item) => [...lines.filter((l) => l !== canonical(remove)), canonical(add)].sort();
    const expected: DeploymentSnapshot = { tables: { ...before.tables }, buckets: before.buckets };
    const movedKey = tableKey(moved.table);
    const inPlaceKey = tableKey(inPlace.table);
    expected.tables[movedKey] = edit(expected.tables[movedKey], moved.old!, { ...moved.new, ...APP });
    expected.tables[inPlaceKey] = edit(expected.tables[inPlaceKey], inPlace.old!, { ...inPlace.old, ...APP });
    expect(snapshotDiff(expected, after)).toEqual({});
  });
});
