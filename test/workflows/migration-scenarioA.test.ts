/**
 * Scenario A end to end (email ids → immutable usernames), and continue-as-new of the parent.
 *
 * The plain run of this file is also the reference of the continue-as-new tests (they were
 * migration-continue-as-new.test.ts, whose reference run was this very run: a scenario A
 * sample of 8 users, testOptions(), no pause, no restart): a run that continues as new must
 * end with its outcome, writes and end state.
 */
import { TABLE_KEYS, NOT_MIGRATED_TABLES, type TableKey } from '../../src/deployment/catalogue';
import { testAwsClients } from '../support/aws';
import { canonical, scanAll } from '../support/emulator';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { expectedOutsiderItem } from '../support/outsiders';
import { writesOf } from '../support/reference';
import { comparableEndState, type DeploymentSnapshot } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, waitForNextRun, waitForStatus, type BackgroundWorker, type MigrationHandle } from '../support/workflowControl';
import { pauseUpdate, resumeUpdate, statusQuery } from '../../workflows/messages';
import type { MigrationReport } from '../../workflows/types';

jest.setTimeout(600_000);

const USERS = 8;

const clients = testAwsClients();
let temporal: TestTemporal;
let worker: BackgroundWorker;
/** The plain run. */
let seeded: SeededDeployment;
let report: MigrationReport;
/** Its end state, comparable across deployments, taken as soon as it ended. */
let endState: DeploymentSnapshot;

beforeAll(async () => {
  temporal = await connectTestTemporal();
  worker = runInBackground(await temporal.startWorker({ clients }));
  seeded = await seedDeployment(clients, { scenario: 'A', users: USERS });
  const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions());
  report = await (await startMigration(temporal, input, `migration-${seeded.deployment.depName}-dev`)).result();
  endState = await comparableEndState(clients, seeded.deployment);
});
afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
});

describe('scenario A end to end (email ids → immutable usernames)', () => {
  it('succeeds, with every user migrated and verification clean', () => {
    expect(report.totals.problems).toEqual([]);
    expect(report.verification?.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.users).toEqual({ total: seeded.sample.users.length, done: seeded.sample.users.length, failed: 0, failedUsers: [] });
    expect(report.verification?.oldIdsLeft).toBe(0);
    expect(report.verification?.objectsMissing).toBe(0);
  });

  it('leaves the items of users outside the CSV byte-identical, but for the tokens naming migrated users', async () => {
    const outsiders = new Set(seeded.sample.outsiders);
    const byTable = new Map<TableKey, string[]>();
    for (const { table, item, owner } of seeded.sample.items) {
      const expected = canonical(expectedOutsiderItem(table, item, seeded.sample.users));
      if (owner && outsiders.has(owner)) byTable.set(table, [...(byTable.get(table) ?? []), expected]);
    }
    expect(byTable.size).toBeGreaterThan(5);
    for (const [table, expected] of byTable) {
      const stored = new Set((await scanAll(clients, seeded.deployment.tables[table])).map(canonical));
      for (const item of expected) expect({ table, present: stored.has(item), item }).toEqual({ table, present: true, item });
    }
  });

  it('leaves never-migrated tables untouched', async () => {
    for (const table of Object.keys(NOT_MIGRATED_TABLES) as TableKey[]) {
      const expected = seeded.sample.items.filter((i) => i.table === table).map((i) => canonical(i.item)).sort();
      const stored = (await scanAll(clients, seeded.deployment.tables[table])).map(canonical).sort();
      expect(stored).toEqual(expected);
    }
  });

  it('moves items rather than copying them: every table keeps its item count (user-data-storage only grows)', async () => {
    for (const table of TABLE_KEYS) {
      const seededCount = seeded.sample.items.filter((i) => i.table === table).length;
      const stored = (await scanAll(clients, seeded.deployment.tables[table])).length;
      if (table === 'USER_DATA_STORAGE_TABLE') expect(stored).toBeGreaterThan(seededCount);
      else if (table === 'OLD_USER_STORAGE_TABLE') expect(stored).toBe(seeded.sample.oldUserStorageItems.length);
      else expect({ table, stored }).toEqual({ table, stored: seededCount });
    }
  });
});

/**
 * With a low history threshold the parent continues as new in the middle of the users
 * phase (children report to it by workflow id across runs); the outcome and end state are
 * those of a run that never continued as new (the plain run above).
 */
describe('continue-as-new of the parent', () => {
  let continued: SeededDeployment;
  let handle: MigrationHandle;
  let continuedReport: MigrationReport;

  beforeAll(async () => {
    continued = await seedDeployment(clients, { scenario: 'A', users: USERS });
    const input = await migrationInput(clients, continued.deployment, continued.sample.users, testOptions({ historyEventsBeforeContinueAsNew: 150 }));
    handle = await startMigration(temporal, input, `migration-${continued.deployment.depName}-dev`);
    continuedReport = await handle.result();
  });

  it('continued as new at least once', async () => {
    expect(report.continuedAsNew).toBe(0);
    expect(continuedReport.continuedAsNew).toBeGreaterThanOrEqual(1);
    const firstRun = temporal.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
    expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
    const lastRun = await temporal.client.workflow.getHandle(handle.workflowId).describe();
    expect(lastRun.runId).not.toBe(handle.firstExecutionRunId);
    expect(lastRun.status.name).toBe('COMPLETED');
  });

  it('succeeds with every user counted exactly once', () => {
    expect(continuedReport.totals.problems).toEqual([]);
    expect(continuedReport.outcome).toBe('succeeded');
    expect(continuedReport.users).toEqual({ total: USERS, done: USERS, failed: 0, failedUsers: [] });
    expect(continuedReport.verification?.problems).toEqual([]);
  });

  it('has the outcome, writes and end state of a run that never continued as new', async () => {
    expect(continuedReport.outcome).toBe(report.outcome);
    expect(continuedReport.users).toEqual(report.users);
    expect(writesOf(continuedReport)).toEqual(writesOf(report));
    expect(continuedReport.plan && writesOf({ ...continuedReport, totals: continuedReport.plan })).toEqual(report.plan && writesOf({ ...report, totals: report.plan }));
    expect(await comparableEndState(clients, continued.deployment)).toEqual(endState);
  });

  describe('while paused', () => {
    const PAUSED_USERS = 4;
    let paused: SeededDeployment;
    let pausedHandle: MigrationHandle;

    beforeAll(async () => {
      paused = await seedDeployment(clients, { scenario: 'A', users: PAUSED_USERS });
      // A threshold of 1: the parent continues as new after every user it absorbs.
      const input = await migrationInput(clients, paused.deployment, paused.sample.users, testOptions({ userConcurrency: 1, historyEventsBeforeContinueAsNew: 1 }));
      pausedHandle = await startMigration(temporal, input, `migration-${paused.deployment.depName}-dev`);
    });

    it('stays paused in the run it continued as (the pause is carried over)', async () => {
      await waitForStatus(pausedHandle, (s) => s.phase === 'users' && s.users.nextIndex >= 1 && s.users.nextIndex < PAUSED_USERS, 'a user in flight');
      const atPause = await pausedHandle.executeUpdate(pauseUpdate);
      const runAtPause = (await temporal.client.workflow.getHandle(pausedHandle.workflowId).describe()).runId;
      // The in-flight user finishes; absorbing it continues the parent as new.
      await waitForNextRun(temporal, pausedHandle.workflowId, runAtPause);
      const after = await waitForStatus(pausedHandle, (s) => s.users.inFlight === 0 || !s.paused, 'the new run settled');
      expect({ paused: after.paused, inFlight: after.users.inFlight, nextIndex: after.users.nextIndex }).toEqual({
        paused: true,
        inFlight: 0,
        nextIndex: atPause.users.nextIndex,
      });
      expect((await pausedHandle.query(statusQuery)).users.nextIndex).toBe(atPause.users.nextIndex);
    });

    it('completes on resume', async () => {
      await pausedHandle.executeUpdate(resumeUpdate);
      const result = await pausedHandle.result();
      expect(result.totals.problems).toEqual([]);
      expect(result.outcome).toBe('succeeded');
      expect(result.users).toEqual({ total: PAUSED_USERS, done: PAUSED_USERS, failed: 0, failedUsers: [] });
      expect(result.continuedAsNew).toBeGreaterThan(PAUSED_USERS);
    });
  });
});
