/**
 * The floor: how long the same emulators take to serve the minimal request set of this
 * migration with raw SDK calls at the worker's concurrency — every stored item read once
 * (a parallel scan of every table), every changed item written once (a PutItem of that many
 * items into a scratch table), every copied object copied once (the raw CopyObject rate
 * measured in the same run). floor ÷ actual says how much of the wall time is the tool's
 * own overhead (orchestration, checks, verification) rather than unavoidable AWS work.
 */
import { CreateTableCommand, PutItemCommand, ScanCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AwsClients } from '../../activities/aws/clients';
import { mapWithConcurrency } from '../../activities/concurrency';
import { TABLE_KEYS, type Deployment } from '../../src/deployment/catalogue';
import type { CopyRate } from './copyRate';

export interface Floor {
  readSeconds: number;
  itemsRead: number;
  writeSeconds: number;
  itemsWritten: number;
  copySeconds: number;
  objectsCopied: number;
  seconds: number;
}

const SEGMENTS = 4;

export async function measureFloor(
  clients: AwsClients,
  deployment: Deployment,
  options: { concurrency: number; itemsWritten: number; objectsCopied: number; copyRate: CopyRate; scratchTable: string },
): Promise<Floor> {
  const readStarted = Date.now();
  let itemsRead = 0;
  const segments = TABLE_KEYS.flatMap((table) => Array.from({ length: SEGMENTS }, (_, segment) => ({ table: deployment.tables[table], segment })));
  await mapWithConcurrency(segments, options.concurrency, async ({ table, segment }) => {
    let start: Record<string, SdkAttributeValue> | undefined;
    do {
      const page = await clients.dynamo
        .send(new ScanCommand({ TableName: table, Segment: segment, TotalSegments: SEGMENTS, ExclusiveStartKey: start, ConsistentRead: true }))
        .catch((err: { name?: string }) => {
          if (err.name === 'ResourceNotFoundException') return { Items: [], LastEvaluatedKey: undefined };
          throw err;
        });
      itemsRead += page.Items?.length ?? 0;
      start = page.LastEvaluatedKey;
    } while (start);
  });
  const readSeconds = (Date.now() - readStarted) / 1000;

  await clients.dynamo.send(
    new CreateTableCommand({
      TableName: options.scratchTable,
      KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const writeStarted = Date.now();
  const indexes = Array.from({ length: options.itemsWritten }, (_, i) => i);
  await mapWithConcurrency(indexes, options.concurrency, (i) =>
    clients.dynamo.send(new PutItemCommand({ TableName: options.scratchTable, Item: { PK: { S: `user${i}@example.edu#item` }, data: { S: 'x'.repeat(200) } } })),
  );
  const writeSeconds = (Date.now() - writeStarted) / 1000;
  const copySeconds = options.objectsCopied / options.copyRate.objectsPerSecond;
  return { readSeconds, itemsRead, writeSeconds, itemsWritten: options.itemsWritten, copySeconds, objectsCopied: options.objectsCopied, seconds: readSeconds + writeSeconds + copySeconds };
}
