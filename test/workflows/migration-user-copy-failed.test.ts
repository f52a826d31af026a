/**
 * Scenario A where one user's own copy cannot be made (an archived legacy object): that user's
 * pointers stay where they are, in the plan and in the approved pass, while the other users'
 * move; every user's ids move either way. Both passes do the per-user tables by one scan each
 * (docs/decisions/0009), so this is the scans' per-owner context (pointersNotReady) at work.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { getString } from '../../src/dynamo/attributeValue';
import { testAwsClients } from '../support/aws';
import { scanAll } from '../support/emulator';
import { migrationInput, runMigration, seedDeployment, testOptions } from '../support/migration';
import { connectTestTemporal, type TestTemporal } from '../support/temporal';

describe("scenario A: a user whose own copy fails keeps its pointers; the others' move", () => {
  const clients = testAwsClients();
  let temporal: TestTemporal;
  beforeAll(async () => {
    temporal = await connectTestTemporal();
  });
  afterAll(async () => temporal?.close());

  it('rewrites every id, moves the pointers of users whose copies were verified only, and says which user failed', async () => {
    const seeded = await seedDeployment(clients, { scenario: 'A', users: 3 });
    const { deployment, sample } = seeded;
    const [unlucky, ...others] = sample.users;
    // One of the unlucky user's conversations is archived (not restored): S3 cannot copy it.
    const archived = sample.objects.find((o) => o.bucket === 'S3_CONVERSATIONS_BUCKET_NAME' && o.owner === unlucky.oldId)!;
    await clients.s3.send(new PutObjectCommand({ Bucket: deployment.buckets[archived.bucket], Key: archived.key, Body: archived.body, ContentType: archived.contentType, StorageClass: 'GLACIER' }));

    const worker = await temporal.startWorker({ clients });
    const workflowId = `migration-${deployment.depName}-dev`;
    const report = await runMigration(temporal, worker, await migrationInput(clients, deployment, sample.users, testOptions()), workflowId);

    expect(report.users.failedUsers.map((u) => u.oldId)).toEqual([unlucky.oldId]);
    expect(report.outcome).toBe('failed');
    expect(report.totals.problems.filter((p) => p.kind === 'failure').map((p) => [p.user, p.source])).toEqual([[unlucky.oldId, archived.key]]);
    // The approved pass wrote the conversations table by a scan of its own, not a query per user.
    const children = (await temporal.client.workflow.getHandle(workflowId).fetchHistory()).events?.flatMap((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? []);
    expect(children).toContain(`${workflowId}/run/run-users/CONVERSATION_METADATA_TABLE`);

    const rows = await scanAll(clients, deployment.tables.CONVERSATION_METADATA_TABLE);
    const rowsOf = (newId: string) => rows.filter((r) => getString(r, 'user_id') === newId);
    const legacyKeys = new Set(sample.objects.filter((o) => o.bucket === 'S3_CONVERSATIONS_BUCKET_NAME').map((o) => o.key));
    expect(rows.filter((r) => sample.users.some((u) => getString(r, 'user_id') === u.oldId))).toEqual([]);
    // The unlucky user's rows are under the new id, their pointers at the legacy objects.
    expect(rowsOf(unlucky.newId).length).toBeGreaterThan(0);
    for (const row of rowsOf(unlucky.newId)) expect({ key: getString(row, 's3_key'), legacy: legacyKeys.has(getString(row, 's3_key')!) }).toMatchObject({ legacy: true });
    // The others' pointers name their copies under the new id.
    for (const user of others) {
      expect(rowsOf(user.newId).length).toBeGreaterThan(0);
      for (const row of rowsOf(user.newId)) expect(getString(row, 's3_key')!.startsWith(`conversations/${user.newId}/`)).toBe(true);
    }
  });
});
