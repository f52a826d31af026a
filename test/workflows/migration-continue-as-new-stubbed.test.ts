/**
 * Continue-as-new of the parent during a large user fan-out, with stubbed activities: the
 * run completes with every user counted once, and each continue-as-new is accepted at its
 * first try: once it is due, the window starts no child and drains, so no child's report
 * (by signal, to the workflow id) or close arrives while it runs. Runs started before that
 * (patched 'quiet-continue-as-new') continued with children in flight. Seconds, no AWS; the
 * end-to-end version on moto is in migration-scenarioA.test.ts. On the dev server, not the
 * time-skipping one: there this test hung when it ran after other workflows (not understood
 * yet), and it needs no timer skipped.
 */
import type { temporal as proto } from '@temporalio/proto';
import type { IdPair } from '../../src/idmap/types';
import { emptyTableCounters, emptyTotals, type Totals } from '../../src/report/counters';
import { migrationWorkflow } from '../../workflows/migration';
import { createStubbedWorker, stubbedActivities, stubbedMigrationInput } from '../support/stubbedActivities';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

/** One item written per user in a per-user table: the report's count is the number of users counted. */
const COUNTED_TABLE = 'CONVERSATION_METADATA_TABLE';

type History = proto.api.history.v1.IHistory;

/** The parent's runs, first to last, with the workflow tasks each saw fail. */
async function runChain(temporal: TestTemporal, workflowId: string, firstRunId: string): Promise<{ runId: string; failedTasks: string[] }[]> {
  const runs: { runId: string; failedTasks: string[] }[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: History = await temporal.client.workflow.getHandle(workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const failedTasks = events.filter((e) => e.workflowTaskFailedEventAttributes).map((e) => `${runId} event ${String(e.eventId)}: ${String(e.workflowTaskFailedEventAttributes?.cause)}`);
    runs.push({ runId, failedTasks });
    runId = events[events.length - 1]?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return runs;
}

describe('continue-as-new during the user fan-out', () => {
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  it('continues as new between users, each time at the first try, and counts every user once', async () => {
    const users = 40;
    const pairs: IdPair[] = Array.from({ length: users }, (_, i) => ({ oldId: `user${i}@example.com`, newId: `sub-${i}` }));
    const converted: string[] = [];
    const activities = stubbedActivities(pairs, {
      convertUser: async ({ user }): Promise<Totals> => {
        converted.push(user.oldId);
        return { ...emptyTotals(), tables: { [COUNTED_TABLE]: { ...emptyTableCounters(), itemsWritten: 1 } } };
      },
    });
    // A short history limit: each user adds a few events (child started, its report, its
    // close), so the parent continues as new several times during the fan-out.
    const { input, deployment } = stubbedMigrationInput(pairs, { dryRun: true, userConcurrency: 4, historyEventsBeforeContinueAsNew: 60 });
    const worker = await createStubbedWorker(temporal, activities);
    const workflowId = `migration-${deployment.depName}-dev`;
    const handle = await temporal.client.workflow.start(migrationWorkflow, { taskQueue: temporal.taskQueue, workflowId, args: [input] });
    const report = await worker.runUntil(handle.result());
    expect(report.outcome).toBe('dry-run');
    // Each continue-as-new went through at its first try: the window drained first, so no
    // child's report or close arrived during its task to refuse it (a refused one is retried
    // by replaying the whole run without the sticky cache).
    const runs = await runChain(temporal, workflowId, handle.firstExecutionRunId);
    expect(runs.length).toBe(report.continuedAsNew + 1);
    expect(runs.flatMap((r) => r.failedTasks)).toEqual([]);
    expect(report.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(report.users).toEqual({ total: users, done: users, failed: 0, failedUsers: [] });
    expect(report.totals.tables[COUNTED_TABLE]?.itemsWritten).toBe(users);
    // Each user's child ran once: no user restarted by a new run of the parent, none skipped.
    expect(converted).toHaveLength(users);
    expect(new Set(converted)).toEqual(new Set(pairs.map((p) => p.oldId)));
  });
});
