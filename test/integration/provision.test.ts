import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { buildDeployment, BUCKET_KEYS, TABLE_KEYS } from '../../src/deployment/catalogue';
import { provisionDeployment } from '../../client/seed/provision';
import { testAwsClients, uniqueDepName } from '../support/aws';

describe('provisioning a deployment on the moto server', () => {
  const clients = testAwsClients();
  const deployment = buildDeployment({ depName: uniqueDepName('prov'), stage: 'dev' });

  it('creates every catalogue table with its key schema and GSIs, and every bucket', async () => {
    await provisionDeployment(clients, deployment);
    await provisionDeployment(clients, deployment); // idempotent
    for (const key of TABLE_KEYS) {
      const { Table } = await clients.dynamo.send(new DescribeTableCommand({ TableName: deployment.tables[key] }));
      expect(Table?.TableStatus).toBe('ACTIVE');
    }
    const aliases = await clients.dynamo.send(new DescribeTableCommand({ TableName: deployment.tables.ASSISTANTS_ALIASES_DYNAMODB_TABLE }));
    expect(aliases.Table?.KeySchema).toEqual([
      { AttributeName: 'user', KeyType: 'HASH' },
      { AttributeName: 'assistantId', KeyType: 'RANGE' },
    ]);
    expect(aliases.Table?.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['AssistantIdIndex', 'UserIndex']);
    for (const key of BUCKET_KEYS) {
      await expect(clients.s3.send(new HeadBucketCommand({ Bucket: deployment.buckets[key] }))).resolves.toBeDefined();
    }
  });
});
