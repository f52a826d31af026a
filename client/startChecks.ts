/**
 * What `start` checks against AWS and Temporal before it writes anything (the id map's
 * claim check is the first write): that no migration of the deployment is running, that
 * this client can reach AWS and with which identity, and that the deployment exists at all.
 * A misspelt --dep-name or --stage used to park a workflow at the deployment gate, which
 * waits only for the two resources the amplify-lambda deployment creates.
 */
import { BatchGetItemCommand, DescribeTableCommand, type BatchGetItemCommandOutput, ResourceNotFoundException, type KeysAndAttributes } from '@aws-sdk/client-dynamodb';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AwsClients } from '../activities/aws/clients';
import { describeFatalAwsError } from '../activities/aws/errors';
import { mapWithConcurrency } from '../activities/concurrency';
import { TABLE_KEYS, type Deployment, type TableKey } from '../src/deployment/catalogue';
import type { IdPair } from '../src/idmap/types';
import { REQUIRED_TABLES } from '../src/preflight/report';
import { CliError, EXIT } from './exitCodes';

/** Who and where this process talks to AWS as (the workers may differ: preflight shows theirs). */
export interface AwsWhere {
  account: string;
  arn: string;
  region: string;
  /** AWS_ENDPOINT_URL (an emulator), or the SDK's default endpoints. */
  endpoint: string;
}

export function endpointLabel(endpoint: string | undefined): string {
  return endpoint ?? 'default AWS endpoints';
}

export function describeWhere(where: Pick<AwsWhere, 'account' | 'region' | 'endpoint'>): string {
  return `account ${where.account}, region ${where.region}, endpoint ${where.endpoint}`;
}

/** The client's identity; an unreachable endpoint or missing credentials end `start` with exit 1 and the reason. */
export async function clientAwsWhere(clients: AwsClients, purpose: string): Promise<AwsWhere> {
  const endpoint = endpointLabel(process.env.AWS_ENDPOINT_URL);
  try {
    const out = await clients.sts.send(new GetCallerIdentityCommand({}));
    return { account: out.Account ?? 'unknown', arn: out.Arn ?? 'unknown', region: clients.region, endpoint };
  } catch (err) {
    const why = describeFatalAwsError(err) ?? (err as Error).message.split('\n')[0];
    throw new CliError(`this client cannot use AWS (region ${clients.region}, endpoint ${endpoint}); ${purpose}: ${why}`, EXIT.failed);
  }
}

/** Refuses before anything is written: the workflow id would refuse later, after the id map was uploaded. */
export async function assertNoActiveMigration(client: Client, workflowId: string, label: string): Promise<void> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.status.name === 'RUNNING') {
      throw new CliError(`a migration of ${label} is already running (${workflowId}, phase shown by "amplify-migrate status"); nothing was written`, EXIT.failed);
    }
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}

/** Tables of the deployment itself: not the two the deployment step creates, nor the old basic-ops table. */
function deploymentTables(): TableKey[] {
  return TABLE_KEYS.filter((k) => !REQUIRED_TABLES.includes(k) && k !== 'OLD_USER_STORAGE_TABLE');
}

async function tableExists(clients: AwsClients, name: string): Promise<boolean> {
  try {
    await clients.dynamo.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (err) {
    if (err instanceof ResourceNotFoundException || (err as { name?: string }).name === 'ResourceNotFoundException') return false;
    throw err;
  }
}

/**
 * Exit 3 when none of the deployment's own tables exists: a misspelt name or stage, or the
 * wrong account or region. Some missing tables are normal (their steps are skipped).
 */
export async function assertDeploymentExists(clients: AwsClients, deployment: Deployment, where: AwsWhere): Promise<void> {
  const keys = deploymentTables();
  const exists = await mapWithConcurrency(keys, 8, (key) => tableExists(clients, deployment.tables[key]));
  if (exists.some(Boolean)) return;
  const example = deployment.tables.COGNITO_USERS_DYNAMODB_TABLE;
  throw new CliError(
    `deployment ${deployment.depName}/${deployment.stage} not found: none of its ${keys.length} tables exists (for example ${example}) in ${describeWhere(where)}; check --dep-name, --stage and the AWS account and region`,
    EXIT.prerequisitesMissing,
  );
}

/**
 * Old ids with no row in the cognito-users table (keyed by user_id): such a user exists
 * nowhere the legacy per-user gate looks, and the run would report it done with nothing
 * migrated. Undefined when the table itself is missing (nothing to compare against).
 */
export async function oldIdsNotInCognitoUsers(clients: AwsClients, deployment: Deployment, pairs: readonly IdPair[]): Promise<string[] | undefined> {
  const table = deployment.tables.COGNITO_USERS_DYNAMODB_TABLE;
  if (!(await tableExists(clients, table))) return undefined;
  const found = new Set<string>();
  const ids = [...new Set(pairs.map((p) => p.oldId))];
  for (let i = 0; i < ids.length; i += 100) {
    let request: Record<string, KeysAndAttributes> | undefined = {
      [table]: { Keys: ids.slice(i, i + 100).map((id) => ({ user_id: { S: id } })), ProjectionExpression: 'user_id' },
    };
    // BatchGetItem may return part of the keys as unprocessed under load: ask again for those.
    while (request && Object.keys(request).length > 0) {
      const out: BatchGetItemCommandOutput = await clients.dynamo.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const item of out.Responses?.[table] ?? []) if (item.user_id?.S !== undefined) found.add(item.user_id.S);
      request = out.UnprocessedKeys;
    }
  }
  return ids.filter((id) => !found.has(id));
}

/**
 * The old ids of the CSV that are not users of the deployment: the first `shown` of them, and
 * how many there are. start warns with them, and keeps them in the workflow's memo so `plan`
 * and `report` warn again (the memo is not workflow state: no replay concern).
 */
export interface UnknownUsers {
  table: string;
  total: number;
  shown: string[];
}

export function unknownUsersOf(unknown: readonly string[] | undefined, deployment: Deployment, shown = 20): UnknownUsers | undefined {
  if (!unknown || unknown.length === 0) return undefined;
  return { table: deployment.tables.COGNITO_USERS_DYNAMODB_TABLE, total: unknown.length, shown: unknown.slice(0, shown) };
}

/** What a memo holds under `unknownUsers`, if it is that shape. */
export function unknownUsersFromMemo(memo: Record<string, unknown> | undefined): UnknownUsers | undefined {
  const value = memo?.unknownUsers as Partial<UnknownUsers> | undefined;
  if (!value || typeof value.table !== 'string' || typeof value.total !== 'number' || !Array.isArray(value.shown)) return undefined;
  return { table: value.table, total: value.total, shown: value.shown.filter((id): id is string => typeof id === 'string') };
}

/** One warning per unknown user (the first 20, then a count). */
export function unknownUserWarnings(unknown: UnknownUsers | undefined): string[] {
  if (!unknown) return [];
  const lines = unknown.shown.map((id) => `warning: old_id ${JSON.stringify(id)} is not a user in ${unknown.table}: it may exist nowhere, and the run would find nothing of it to migrate`);
  if (unknown.total > unknown.shown.length) lines.push(`warning: ${unknown.total - unknown.shown.length} more old ids are not users in ${unknown.table}`);
  return lines;
}
