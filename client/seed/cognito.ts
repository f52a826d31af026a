/**
 * The sample Cognito user pool. In scenario A the pool has moved to immutable usernames
 * (username = sub = the new id), so `--use-sub` (email → sub) yields the
 * seeded CSV. The emulator lets us set `sub`; real Cognito does not, and then keeps its own.
 */
import {
  AdminCreateUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolCommand,
  ListUserPoolsCommand,
  UsernameExistsException,
  paginateListUsers,
} from '@aws-sdk/client-cognito-identity-provider';
import type { AwsClients } from '../../activities/aws/clients';
import type { Deployment } from '../../src/deployment/catalogue';
import type { CognitoSeedUser } from '../../src/seed/types';

export const samplePoolName = (deployment: Deployment): string => `amplify-${deployment.depName}-${deployment.stage}-sample-users`;

async function findPool(clients: AwsClients, name: string): Promise<string | undefined> {
  let NextToken: string | undefined;
  do {
    const page = await clients.cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken }));
    const found = page.UserPools?.find((pool) => pool.Name === name);
    if (found?.Id) return found.Id;
    NextToken = page.NextToken;
  } while (NextToken);
  return undefined;
}

export async function createSampleUserPool(
  clients: AwsClients,
  deployment: Deployment,
  users: readonly CognitoSeedUser[],
): Promise<{ userPoolId: string; users: CognitoSeedUser[] }> {
  const name = samplePoolName(deployment);
  let userPoolId = await findPool(clients, name);
  if (!userPoolId) {
    const created = await clients.cognito.send(new CreateUserPoolCommand({ PoolName: name }));
    userPoolId = created.UserPool?.Id;
    if (!userPoolId) throw new Error(`CreateUserPool ${name} returned no id`);
  }
  for (const user of users) {
    try {
      await clients.cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: userPoolId,
          Username: user.username,
          MessageAction: 'SUPPRESS',
          UserAttributes: [
            { Name: 'email', Value: user.email },
            { Name: 'email_verified', Value: 'true' },
          ],
        }),
      );
    } catch (err) {
      if (!(err instanceof UsernameExistsException)) throw err;
    }
    try {
      await clients.cognito.send(
        new AdminUpdateUserAttributesCommand({ UserPoolId: userPoolId, Username: user.username, UserAttributes: [{ Name: 'sub', Value: user.sub }] }),
      );
    } catch {
      // Real Cognito refuses to change `sub`; the pool's own sub is read back below.
    }
  }
  return { userPoolId, users: await listPoolUsers(clients, userPoolId) };
}

export async function listPoolUsers(clients: AwsClients, userPoolId: string): Promise<CognitoSeedUser[]> {
  const out: CognitoSeedUser[] = [];
  for await (const page of paginateListUsers({ client: clients.cognito }, { UserPoolId: userPoolId })) {
    for (const user of page.Users ?? []) {
      const attribute = (name: string) => user.Attributes?.find((a) => a.Name === name)?.Value ?? '';
      out.push({ username: user.Username ?? '', email: attribute('email'), sub: attribute('sub') });
    }
  }
  return out;
}
