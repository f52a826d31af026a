import { DeleteBucketCommand } from '@aws-sdk/client-s3';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { buildDeployment, BUCKET_KEYS, TABLE_KEYS } from '../../src/deployment/catalogue';
import { provisionDeployment } from '../../client/seed/provision';
import { testAwsClients, uniqueDepName } from '../support/aws';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';
import type { PreflightReport } from '../../src/preflight/report';

describe('preflightWorkflow on the dev server and the moto server', () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => temporal.close());

  async function preflight(depName: string): Promise<PreflightReport> {
    const worker = await temporal.startWorker({ clients });
    return worker.runUntil(
      temporal.client.workflow.execute('preflightWorkflow', {
        taskQueue: temporal.taskQueue,
        workflowId: `preflight-${depName}`,
        args: [{ deployment: buildDeployment({ depName, stage: 'dev' }) }],
      }),
    );
  }

  it('reports every resource present on a provisioned deployment', async () => {
    const depName = uniqueDepName('pf');
    await provisionDeployment(clients, buildDeployment({ depName, stage: 'dev' }), { versionedBuckets: ['S3_CONSOLIDATION_BUCKET_NAME'] });
    const report = await preflight(depName);
    expect(report.ready).toBe(true);
    expect(report.missingPrerequisites).toEqual([]);
    expect(report.tables).toHaveLength(TABLE_KEYS.length);
    expect(report.tables.every((t) => t.exists)).toBe(true);
    expect(report.buckets.every((b) => b.exists)).toBe(true);
    expect(report.buckets.find((b) => b.key === 'S3_CONSOLIDATION_BUCKET_NAME')?.versioning).toBe('Enabled');
    expect(report.oldUserStorageItems).toBe(0);
    expect(report.basicOpsStack).toEqual({ name: `amplify-${depName}-lambda-basic-ops-dev`, exists: false });
    expect(report.caller.account).toMatch(/^\d{12}$/);
  });

  it('names the missing prerequisites and the deployment step that creates them', async () => {
    const depName = uniqueDepName('pf');
    const deployment = buildDeployment({ depName, stage: 'dev' });
    await provisionDeployment(clients, deployment);
    await clients.s3.send(new DeleteBucketCommand({ Bucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME }));
    await clients.dynamo.send(new DeleteTableCommand({ TableName: deployment.tables.USER_DATA_STORAGE_TABLE }));
    const report = await preflight(depName);
    expect(report.ready).toBe(false);
    expect(report.missingPrerequisites).toEqual([
      { resource: 'S3_CONSOLIDATION_BUCKET_NAME', kind: 'bucket', name: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, remedy: 'serverless amplify-lambda:deploy --stage dev' },
      { resource: 'USER_DATA_STORAGE_TABLE', kind: 'table', name: deployment.tables.USER_DATA_STORAGE_TABLE, remedy: 'serverless amplify-lambda:deploy --stage dev' },
    ]);
  });

  it('on an empty emulator reports every table and bucket missing', async () => {
    const report = await preflight(uniqueDepName('empty'));
    expect(report.ready).toBe(false);
    expect(report.tables.filter((t) => t.exists)).toEqual([]);
    expect(report.buckets.filter((b) => b.exists)).toEqual([]);
    expect(report.oldUserStorageItems).toBeUndefined();
    expect(BUCKET_KEYS).toContain(report.missingPrerequisites[0].resource);
  });
});
