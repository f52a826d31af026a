/**
 * The cleanup marker (issue 12): cleanupSource records it in the run's ledger before its first
 * delete, so a revert of that run, even one started directly as a workflow (not through the
 * CLI, which also checks the report), refuses and says why. A cleanup that deletes nothing
 * leaves no marker: the run stays revertible.
 */
import { CreateBucketCommand, HeadObjectCommand, PutBucketVersioningCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { MockActivityEnvironment } from '@temporalio/testing';
import { IdMapCache, putIdMapClaimCheck } from '../../activities/dynamo/idMapClaimCheck';
import { readLedger, s3LedgerSink } from '../../activities/ledger/s3Ledger';
import { createObjectActivities } from '../../activities/migration/objects';
import { copyVerified } from '../../activities/s3/copy';
import { buildDeployment } from '../../src/deployment/catalogue';
import type { Totals } from '../../src/report/counters';
import { revertWorkflow } from '../../workflows/revert';
import type { RevertReport } from '../../workflows/revertTypes';
import { testAwsClients, uniqueDepName } from '../support/aws';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

const clients = testAwsClients();
const deployment = buildDeployment({ depName: uniqueDepName('rc'), stage: 'dev' });
const legacy = deployment.buckets.AGENT_STATE_BUCKET;
const consolidation = deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME;
const runId = 'r-cleanup-1';

describe('a run whose cleanup deleted legacy objects', () => {
  let temporal: TestTemporal;
  let report: RevertReport;

  beforeAll(async () => {
    temporal = await connectTestTemporal();
    for (const bucket of [legacy, consolidation]) await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.s3.send(new PutBucketVersioningCommand({ Bucket: legacy, VersioningConfiguration: { Status: 'Enabled' } }));
    await clients.s3.send(new PutObjectCommand({ Bucket: legacy, Key: 'alice@x.com/state.json', Body: '{"s":1}' }));
    expect(await copyVerified(clients, { sourceBucket: legacy, sourceKey: 'alice@x.com/state.json', destBucket: consolidation, destKey: 'agentState/alice/state.json' })).toMatchObject({
      status: 'copied',
    });
    const claim = await putIdMapClaimCheck(clients, consolidation, [{ oldId: 'alice@x.com', newId: 'alice' }]);
    const ledger = async () => s3LedgerSink(clients, { bucket: consolidation, runId }, 'cleanupSource-test');
    const activities = createObjectActivities(clients, { idMapCache: new IdMapCache(), ledger });
    const totals: Totals = await new MockActivityEnvironment().run(activities.cleanupSource, { deployment, sourceName: 'agentState' as const, idMapRef: { ...claim, count: 1, changesAnyId: true } });
    expect(totals.buckets.AGENT_STATE_BUCKET).toMatchObject({ objectsCopied: 1, failures: 0 });

    const worker = await temporal.startWorker({ clients });
    report = await worker.runUntil(
      temporal.client.workflow.execute(revertWorkflow, {
        taskQueue: temporal.taskQueue,
        workflowId: `revert-${deployment.depName}-dev`,
        args: [{ runId, deployment, options: { dryRun: false, onConflict: 'skip', autoApprove: true } }],
      }),
    );
  });
  afterAll(async () => temporal?.close());

  it('deleted the legacy object only after the marker was durable', async () => {
    expect(await readLedger(clients, { bucket: consolidation, runId })).toEqual([{ kind: 'cleanup', source: 'agentState' }]);
    await expect(clients.s3.send(new HeadObjectCommand({ Bucket: legacy, Key: 'alice@x.com/state.json' }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('is refused by a revert started directly, which says why and touches nothing', async () => {
    expect(report.outcome).toBe('refused');
    expect(report.refusal).toContain('agentState');
    expect(report.refusal).toContain('cleanup');
    expect(report.totals).toBeUndefined();
    expect((await clients.s3.send(new HeadObjectCommand({ Bucket: consolidation, Key: 'agentState/alice/state.json' }))).ETag).toBeDefined();
  });
});
