/**
 * Verification sees an old id in every form USER_DATA_STORAGE stores it: raw, or sanitised
 * (`[^A-Za-z0-9@._-]` → `-`) in PK and appId. A fault once left
 * `{PK: "carol-amplify@vu.edu#amplify-mcp#servers"}` behind while the report said verified,
 * because verification did not look at this table at all.
 */
import { PutItemCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { putIdMapClaimCheck } from '../../activities/dynamo/idMapClaimCheck';
import { createBucket, createTable } from '../../client/seed/provision';
import { buildDeployment, compactDeployment } from '../../src/deployment/catalogue';
import type { Item } from '../../src/dynamo/attributeValue';
import type { IdMapRef, VerificationResult } from '../../workflows/types';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const s = (v: string) => ({ S: v });

async function verifyUds(items: Item[]): Promise<VerificationResult> {
  const deployment = buildDeployment({ depName: uniqueDepName('vs'), stage: 'dev' });
  await createTable(clients, deployment, 'USER_DATA_STORAGE_TABLE');
  await createBucket(clients, deployment, 'S3_CONSOLIDATION_BUCKET_NAME');
  for (const item of items) {
    await clients.dynamo.send(new PutItemCommand({ TableName: deployment.tables.USER_DATA_STORAGE_TABLE, Item: item as unknown as Record<string, SdkAttributeValue> }));
  }
  const pairs = [
    { oldId: 'carol+amplify@vu.edu', newId: 'carol.a' },
    { oldId: 'ann', newId: 'ann.s' },
  ];
  const claim = await putIdMapClaimCheck(clients, deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, pairs);
  const idMapRef: IdMapRef = { ...claim, count: pairs.length, changesAnyId: true };
  const activities = createActivities({ clients });
  return new MockActivityEnvironment().run(() =>
    activities.verifyTableSegment({ deployment: compactDeployment(deployment), table: 'USER_DATA_STORAGE_TABLE', idMapRef, segment: 0, totalSegments: 1 }),
  );
}

const server = (pk: string, appId: string): Item => ({ PK: s(pk), SK: s('server-1'), appId: s(appId), entityType: s('servers'), data: { M: {} }, UUID: s('u1') });

describe('verification of USER_DATA_STORAGE', () => {
  it('reports an item left under a sanitised old id', async () => {
    const result = await verifyUds([server('carol-amplify@vu.edu#amplify-mcp#servers', 'carol-amplify@vu.edu#amplify-mcp')]);
    expect(result.tablesChecked).toBe(1);
    expect(result.itemsChecked).toBe(1);
    expect(result.oldIdsLeft).toBe(1);
    expect(result.problems[0]).toMatchObject({ kind: 'failure', where: 'USER_DATA_STORAGE_TABLE' });
  });

  it('reports an item left under a raw old id, and passes migrated items and an outsider whose id only starts like one', async () => {
    const result = await verifyUds([
      server('ann#amplify-mcp#servers', 'ann#amplify-mcp'),
      server('carol.a#amplify-mcp#servers', 'carol.a#amplify-mcp'),
      server('anna#amplify-mcp#servers', 'anna#amplify-mcp'),
    ]);
    expect(result.itemsChecked).toBe(3);
    expect(result.oldIdsLeft).toBe(1);
  });
});
