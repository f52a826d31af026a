/**
 * A worker shut down in the middle of the users phase (its in-flight activities cancelled),
 * and a new worker on the same task queue: the run resumes from its history and ends in
 * exactly the state of an uninterrupted run.
 */
import { testAwsClients } from '../support/aws';
import { mapBounded } from '../support/concurrency';
import { canonical, scanAll } from '../support/emulator';
import { expectedOutsiderItem } from '../support/outsiders';
import { migrationInput, seedDeployment, testOptions, type SeededDeployment } from '../support/migration';
import { referenceRun, type ReferenceRun } from '../support/reference';
import { comparableEndState } from '../support/snapshot';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import { runInBackground, startMigration, waitForStatus, type BackgroundWorker } from '../support/workflowControl';
import { approveUpdate } from '../../workflows/messages';
import type { MigrationReport, MigrationStatus } from '../../workflows/types';

jest.setTimeout(600_000);

const USERS = 6;

describe('worker killed mid-run and replaced', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  let firstWorker: BackgroundWorker;
  let secondWorker: BackgroundWorker | undefined;
  let reference: ReferenceRun;
  let seeded: SeededDeployment;
  let atShutdown: MigrationStatus;
  let report: MigrationReport;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    firstWorker = runInBackground(await temporal.startWorker({ clients }));
    reference = await referenceRun(clients, temporal, { scenario: 'A', users: USERS }, { userConcurrency: 2 });

    seeded = await seedDeployment(clients, { scenario: 'A', users: USERS });
    // Without auto-approve, the "users" phase after the approval is the real pass.
    const input = await migrationInput(clients, seeded.deployment, seeded.sample.users, testOptions({ userConcurrency: 2, autoApprove: false }));
    const handle = await startMigration(temporal, input, `migration-${seeded.deployment.depName}-dev`);
    await waitForStatus(handle, (s) => s.awaitingGate === 'migrate', 'gate "migrate" awaited');
    await handle.executeUpdate(approveUpdate, { args: ['migrate'] });
    atShutdown = await waitForStatus(handle, (s) => s.phase === 'users' && s.users.done >= 1 && s.users.inFlight > 0, 'some users done, others in flight');
    await firstWorker.stop();
    secondWorker = runInBackground(await temporal.startWorker({ clients }));
    report = await handle.result();
  });
  afterAll(async () => {
    await secondWorker?.stop();
    await firstWorker?.stop();
    await temporal?.close();
  });

  it('was stopped with users done and users in flight', () => {
    expect(atShutdown.users.done).toBeGreaterThanOrEqual(1);
    expect(atShutdown.users.inFlight).toBeGreaterThan(0);
    expect(atShutdown.users.done).toBeLessThan(USERS);
  });

  it('completes on the new worker with every user migrated and verification clean', () => {
    expect(report.totals.problems).toEqual([]);
    expect(report.outcome).toBe('succeeded');
    expect(report.users).toEqual({ total: USERS, done: USERS, failed: 0, failedUsers: [] });
    expect(report.verification?.problems).toEqual([]);
    expect(report.verification?.oldIdsLeft).toBe(0);
  });

  it('leaves the items of users outside the CSV byte-identical, but for the tokens naming migrated users', async () => {
    const outsiders = new Set(seeded.sample.outsiders);
    const expected = seeded.sample.items.filter((i) => i.owner && outsiders.has(i.owner));
    expect(expected.length).toBeGreaterThan(5);
    // Each table read once (not once per item of it), all of them 8 at a time.
    const tables = [...new Set(expected.map((e) => e.table))];
    const scanned = await mapBounded(tables, 8, async (table) => new Set((await scanAll(clients, seeded.deployment.tables[table])).map(canonical)));
    const storedIn = new Map(tables.map((table, i) => [table, scanned[i]]));
    for (const { table, item } of expected) {
      const after = expectedOutsiderItem(table, item, seeded.sample.users);
      expect({ table, present: storedIn.get(table)!.has(canonical(after)) }).toEqual({ table, present: true });
    }
  });

  it('ends in the same state as an uninterrupted run', async () => {
    expect(reference.report.outcome).toBe('succeeded');
    // Not the same write counts: what a cancelled attempt wrote before it stopped, its retry
    // finds done (an identical copy is skipped, a moved item is no longer under the old id).
    expect(await comparableEndState(clients, seeded.deployment)).toEqual(reference.endState);
  });

  it('handled every object of the uninterrupted run (copied, or found already copied by the cancelled attempt)', () => {
    const handled = (r: MigrationReport) =>
      Object.fromEntries(Object.entries(r.totals.buckets).map(([bucket, c]) => [bucket, c.objectsCopied + c.objectsSkipped]));
    expect(handled(report)).toEqual(handled(reference.report));
  });
});
