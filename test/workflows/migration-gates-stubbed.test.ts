/**
 * The migration workflow's own logic, with stubbed activities on the time-skipping test
 * server: the approval gate, and pause and resume in the users phase. No AWS and no dev
 * server, so each test takes seconds; the end-to-end versions on moto
 * (migration-approval-gate, migration-pause-resume) check the same behaviour against real
 * writes. Continue-as-new during a fan-out is migration-continue-as-new-stubbed.test.ts, on
 * the dev server: on this server it hung when it ran after other workflows (not understood yet).
 *
 * Every assertion is on an outcome (the report, the status, which stub was called with what),
 * never on how long something took.
 */
import type { IdPair } from '../../src/idmap/types';
import { migrationWorkflow } from '../../workflows/migration';
import { approveUpdate, pauseUpdate, rejectUpdate, resumeUpdate, statusQuery } from '../../workflows/messages';
import type { MigrationOptions, MigrationStatus } from '../../workflows/types';
import { createStubbedWorker, stubbedActivities, stubbedMigrationInput, type StubbedActivities } from '../support/stubbedActivities';
import { startTimeSkipping, type TimeSkippingTemporal } from '../support/timeSkipping';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MigrationHandle } from '../support/workflowControl';

/** One stub activity call: its name and its (first and only) argument. */
interface Call {
  name: string;
  input?: { dryRun?: boolean; user?: IdPair };
}

/** The stubs, each recording its calls in `calls` before it answers. */
function recorded(activities: StubbedActivities): { activities: StubbedActivities; calls: Call[] } {
  const calls: Call[] = [];
  const wrapped = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      (input: Call['input'], ...rest: unknown[]) => {
        calls.push({ name, input });
        return (fn as (...args: unknown[]) => unknown)(input, ...rest);
      },
    ]),
  ) as unknown as StubbedActivities;
  return { activities: wrapped, calls };
}

const usersOf = (count: number): IdPair[] => Array.from({ length: count }, (_, i) => ({ oldId: `user${i}@example.com`, newId: `sub-${i}` }));
/**
 * Polls the status query until `predicate` holds. Not workflowControl's waitForStatus: that
 * one also describes the workflow, and the Java test server fails to describe a parent whose
 * child is initiated but not yet started.
 */
async function waitForStatus(handle: MigrationHandle, predicate: (s: MigrationStatus) => boolean): Promise<MigrationStatus> {
  for (;;) {
    try {
      const status = await handle.query(statusQuery);
      if (predicate(status)) return status;
    } catch (err) {
      // The first workflow task may not have run yet (no handler registered): try again.
      if (!/not registered|unknown queryType|did not register|no such query/i.test(String((err as Error).message))) throw err;
    }
    await sleep(100);
  }
}

/** Calls of the real pass: every write activity of the plan pass gets dryRun: true. */
const realPassCalls = (calls: Call[]) => calls.filter((c) => c.input?.dryRun === false);
/** The users an activity was called for, each as often as it was, in id order: users' children run concurrently, so their calls interleave in any order. */
const usersCalled = (calls: Call[], name: keyof StubbedActivities) =>
  calls
    .filter((c) => c.name === name)
    .map((c) => c.input?.user?.oldId)
    .sort();

describe('migration workflow with stubbed activities (time-skipping server)', () => {
  let temporal: TimeSkippingTemporal;
  beforeAll(async () => {
    temporal = await startTimeSkipping();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  /** Starts a migration of `pairs` on a stubbed worker, runs `drive` with its handle while the worker runs. */
  async function withMigration<T>(
    pairs: IdPair[],
    options: Partial<MigrationOptions>,
    activities: StubbedActivities,
    drive: (handle: MigrationHandle) => Promise<T>,
  ): Promise<T> {
    const { input, deployment } = stubbedMigrationInput(pairs, options);
    // A task queue per migration: a worker left running by a failed test cannot take the next one's tasks.
    const taskQueue = `stubbed-${deployment.depName}`;
    const worker = await createStubbedWorker({ ...temporal, taskQueue }, activities);
    const workflowId = `migration-${deployment.depName}-dev`;
    return worker.runUntil(async () => {
      const handle = await temporal.client.workflow.start(migrationWorkflow, { taskQueue, workflowId, args: [input] });
      try {
        return await drive(handle);
      } catch (err) {
        // A failed test leaves no migration running on the shared server for the next one.
        await handle.terminate('test failed').catch(() => undefined);
        throw err;
      }
    });
  }

  describe('approval gate', () => {
    const pairs = usersOf(2);

    it('waits at gate "migrate" after the plan, and runs the real pass once approved', async () => {
      const { activities, calls } = recorded(stubbedActivities(pairs));
      const report = await withMigration(pairs, { autoApprove: false }, activities, async (handle) => {
        const atGate = await waitForStatus(handle, (s) => s.awaitingGate === 'migrate');
        expect(atGate.phase).toBe('approval-gate');
        // The plan pass ran every user, as a dry run; nothing of the real pass has started.
        expect(usersCalled(calls, 'migrateUserObjects')).toEqual(pairs.map((p) => p.oldId));
        expect(realPassCalls(calls)).toEqual([]);
        await handle.executeUpdate(approveUpdate, { args: ['migrate'] });
        return handle.result();
      });
      expect(report.outcome).toBe('succeeded');
      expect(report.users).toEqual({ total: 2, done: 2, failed: 0, failedUsers: [] });
      // The real pass: each user once more, now writing, then the report.
      const real = realPassCalls(calls);
      expect(usersCalled(real, 'migrateUserObjects')).toEqual(pairs.map((p) => p.oldId));
      expect(real.map((c) => c.name)).toEqual(expect.arrayContaining(['copyBulkObjects', 'convertUser', 'rewriteUserTables', 'rewriteTableSegment']));
      expect(calls.filter((c) => c.name === 'writeReport')).toHaveLength(1);
    });

    it('stops on reject: outcome rejected, no activity of the real pass called, no report written', async () => {
      const { activities, calls } = recorded(stubbedActivities(pairs));
      const report = await withMigration(pairs, { autoApprove: false }, activities, async (handle) => {
        await waitForStatus(handle, (s) => s.awaitingGate === 'migrate');
        await handle.executeUpdate(rejectUpdate, { args: ['migrate', 'plan looks wrong'] });
        return handle.result();
      });
      expect(report.outcome).toBe('rejected');
      expect(report.rejected).toEqual({ gate: 'migrate', reason: 'plan looks wrong' });
      expect(realPassCalls(calls)).toEqual([]);
      expect(usersCalled(calls, 'migrateUserObjects')).toEqual(pairs.map((p) => p.oldId));
      expect(calls.map((c) => c.name)).not.toContain('writeReport');
      expect(report.users).toMatchObject({ done: 0, failed: 0 });
    });
  });

  it('pauses in the users phase: no new user starts while paused, every user runs after resume', async () => {
    const pairs = usersOf(4);
    // The first user's work holds until the test lets it go, so the pause lands while a user is in flight.
    let started!: () => void;
    const firstUserStarted = new Promise<void>((resolve) => (started = resolve));
    let release!: () => void;
    const firstUserReleased = new Promise<void>((resolve) => (release = resolve));
    const stubs = stubbedActivities(pairs);
    const { activities, calls } = recorded({
      ...stubs,
      migrateUserObjects: async (input) => {
        if (input.user.oldId === pairs[0].oldId) {
          started();
          await firstUserReleased;
        }
        return stubs.migrateUserObjects(input);
      },
    });
    const report = await withMigration(pairs, { dryRun: true, userConcurrency: 1 }, activities, async (handle) => {
      await firstUserStarted;
      expect((await handle.executeUpdate(pauseUpdate)).paused).toBe(true);
      release();
      // The first user finishes and is counted; the window has room, but the pause holds it.
      const paused = await waitForStatus(handle, (s) => s.users.done === 1 && s.users.inFlight === 0);
      expect(paused).toMatchObject({ phase: 'users', paused: true });
      expect(paused.users.nextIndex).toBe(1);
      expect(usersCalled(calls, 'migrateUserObjects')).toEqual([pairs[0].oldId]);
      expect((await handle.executeUpdate(resumeUpdate)).paused).toBe(false);
      return handle.result();
    });
    expect(report.outcome).toBe('dry-run');
    expect(report.users).toEqual({ total: 4, done: 4, failed: 0, failedUsers: [] });
    expect(usersCalled(calls, 'migrateUserObjects')).toEqual(pairs.map((p) => p.oldId));
  });
});
