/** Reads the live sources of a generated id map: the cognito-users table and the user pool. */
import { ListUsersCommand } from '@aws-sdk/client-cognito-identity-provider';
import { paginateScan } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../src/dynamo/attributeValue';
import type { CognitoPoolUser } from '../../src/idmap/generate';
import type { AwsClients } from '../aws/clients';

/** Every item's user_id (only that attribute is read). */
export async function scanCognitoUsersTable(clients: AwsClients, tableName: string): Promise<Item[]> {
  const items: Item[] = [];
  for await (const page of paginateScan({ client: clients.dynamo }, { TableName: tableName, ProjectionExpression: 'user_id' })) {
    items.push(...((page.Items ?? []) as Item[]));
  }
  return items;
}

/** Every user of the pool (disabled and unconfirmed included, as the legacy generator does). */
export async function listPoolUsers(clients: AwsClients, userPoolId: string): Promise<CognitoPoolUser[]> {
  const users: CognitoPoolUser[] = [];
  let token: string | undefined;
  do {
    const page = await clients.cognito.send(new ListUsersCommand({ UserPoolId: userPoolId, PaginationToken: token }));
    for (const user of page.Users ?? []) {
      const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value;
      users.push({ username: user.Username ?? '', email: attribute('email'), sub: attribute('sub') });
    }
    token = page.PaginationToken;
  } while (token);
  return users;
}
