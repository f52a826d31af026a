/**
 * The emulator must isolate transactions as DynamoDB does. moto's threaded server does not:
 * a cancelled TransactWriteItems restores its snapshot of the table over what concurrent
 * requests wrote (the "item left at its old key under faults" of the chaos run: every
 * retried lost-answer move is a cancelled transaction). The local stack serialises moto's
 * requests (scripts/moto_serial_server.py); this test holds it to that.
 */
import { CreateTableCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { mapWithConcurrency } from '../../activities/concurrency';
import { scanAll } from '../support/emulator';
import { testAwsClients, uniqueDepName } from '../support/aws';

const clients = testAwsClients();
const ITEMS = 60;

it('concurrent moves all survive transactions that are cancelled beside them', async () => {
  const table = `${uniqueDepName('iso')}-moves`;
  await clients.dynamo.send(
    new CreateTableCommand({ TableName: table, KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'PK', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }),
  );
  for (let i = 0; i < ITEMS; i++) await clients.dynamo.send(new PutItemCommand({ TableName: table, Item: { PK: { S: `old-${i}` }, n: { N: String(i) } } }));

  const move = (i: number) =>
    clients.dynamo.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Put: { TableName: table, Item: { PK: { S: `new-${i}` }, n: { N: String(i) } }, ConditionExpression: 'attribute_not_exists(PK)' } },
          { Delete: { TableName: table, Key: { PK: { S: `old-${i}` } }, ConditionExpression: 'attribute_exists(PK)' } },
        ],
      }),
    );
  // Cancelled on purpose: its condition can never hold.
  const cancelled = (i: number) =>
    clients.dynamo
      .send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: table, Item: { PK: { S: `never-${i}` } }, ConditionExpression: 'attribute_exists(PK)' } }] }))
      .then(
        () => 'applied',
        (err: { name?: string }) => err.name,
      );
  const outcomes = await mapWithConcurrency(
    Array.from({ length: ITEMS * 2 }, (_, j) => j),
    16,
    async (j) => (j % 2 === 0 ? (await move(j / 2), 'moved') : cancelled((j - 1) / 2)),
  );
  expect(outcomes.filter((o) => o === 'moved')).toHaveLength(ITEMS);
  expect(outcomes.filter((o) => o === 'TransactionCanceledException')).toHaveLength(ITEMS);

  const keys = (await scanAll(clients, table)).map((item) => ('S' in item.PK ? item.PK.S : '')).sort();
  expect(keys).toEqual(Array.from({ length: ITEMS }, (_, i) => `new-${i}`).sort());
});
