/**
 * A run that continued as new from an older version of the workflow resumes: the state it
 * carries may hold fields no code reads any more (startedAt). Stubbed activities: seconds.
 */
import { emptyTotals } from '../../src/report/counters';
import { migrationWorkflow } from '../../workflows/migration';
import type { MigrationInput } from '../../workflows/types';
import { createStubbedWorker, stubbedActivities, stubbedMigrationInput, stubIdMapRef } from '../support/stubbedActivities';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

describe('state carried across continue-as-new', () => {
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  it('resumes from a state written by older code, and does not carry its retired fields on', async () => {
    const pairs = [{ oldId: 'alice@example.com', newId: 'a-sub-1' }];
    const { input, deployment } = stubbedMigrationInput(pairs);
    const carried: MigrationInput['state'] = {
      phase: 'verify',
      pass: 'run',
      backups: [],
      backupsSkipped: true,
      bulkCopiesVerified: true,
      idMapRef: stubIdMapRef(pairs),
      plan: emptyTotals(),
      users: { total: 1, done: 1, failed: 0, nextIndex: 1, inFlight: [] },
      totals: emptyTotals(),
      failedUsers: [],
      phaseTimings: [{ phase: 'verify', startedAt: 1_700_000_000_000 }],
      continuedAsNew: 1,
      startedAt: 1_699_999_000_000,
    };
    const worker = await createStubbedWorker(temporal, stubbedActivities(pairs));
    const report = await worker.runUntil(
      temporal.client.workflow.execute(migrationWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `migration-${deployment.depName}-dev`,
        args: [{ ...input, state: carried }],
      }),
    );
    expect(report.outcome).toBe('succeeded');
    expect(report.continuedAsNew).toBe(1);
    expect(report.users).toMatchObject({ total: 1, done: 1, failed: 0 });
    expect(report.phaseTimings.map((t) => t.phase)).toEqual(['verify', 'report', 'done']);
  });
});
