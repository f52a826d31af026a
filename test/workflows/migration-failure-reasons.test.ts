/**
 * A failed run-wide step names its real cause in the report. A failed activity reaches the
 * workflow as "Activity task failed"; the report used to show exactly that for a failed
 * run-wide copy. Stubbed activities: seconds, no AWS.
 */
import { ApplicationFailure } from '@temporalio/common';
import { bulkSources } from '../../src/plan/steps';
import { migrationWorkflow } from '../../workflows/migration';
import { createStubbedWorker, stubbedActivities, stubbedMigrationInput } from '../support/stubbedActivities';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

describe('failure reasons in the report', () => {
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => {
    await temporal?.close();
  });

  it('names the cause of a failed run-wide copy, and keeps pointers into it where they are', async () => {
    const pairs = [{ oldId: 'alice@example.com', newId: 'a-sub-1' }];
    const failing = bulkSources()[0].name;
    const cause = `AWS refused the request (AccessDenied): not allowed to list ${failing}`;
    const activities = stubbedActivities(pairs, {
      copyBulkObjects: async ({ sourceName }) => {
        if (sourceName === failing) throw ApplicationFailure.nonRetryable(cause, 'FatalAwsError');
        return stubbedActivities(pairs).copyBulkObjects({ sourceName } as never);
      },
    });
    const tableSegments: { pointersReady?: boolean }[] = [];
    activities.rewriteTableSegment = async (input) => {
      if (input.references) tableSegments.push(input.references);
      return stubbedActivities(pairs).rewriteTableSegment(input);
    };
    const { input, deployment } = stubbedMigrationInput(pairs, { dryRun: true });
    const worker = await createStubbedWorker(temporal, activities);
    const report = await worker.runUntil(
      temporal.client.workflow.execute(migrationWorkflow, { taskQueue: temporal.taskQueue, workflowId: `migration-${deployment.depName}-dev`, args: [input] }),
    );
    expect(report.totals.problems).toContainEqual({ kind: 'failure', where: failing, reason: cause });
    expect(report.totals.failureCount).toBe(1);
    // bulkCopiesVerified: the references pass must not move pointers into the failed copy.
    expect(tableSegments.length).toBeGreaterThan(0);
    expect(tableSegments.every((r) => r.pointersReady === false)).toBe(true);
  });
});
