/** Read-only checks of a deployment: who we are, which tables, buckets and stacks exist. */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeContinuousBackupsCommand, DescribeTableCommand, ResourceNotFoundException, ScanCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketVersioningCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { AwsClients } from '../aws/clients';
import type { BucketKey, TableKey } from '../../src/deployment/catalogue';
import type { BucketFact, CallerFact, StackFact, TableFact } from '../../src/preflight/report';
import { mapWithConcurrency } from '../concurrency';

function isNotFound(err: unknown): boolean {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    err instanceof ResourceNotFoundException ||
    e?.name === 'NotFound' ||
    e?.name === 'NoSuchBucket' ||
    e?.$metadata?.httpStatusCode === 404
  );
}

export function createPreflightActivities(clients: AwsClients) {
  const checks = {
    async checkCallerIdentity(): Promise<CallerFact> {
      const out = await clients.sts.send(new GetCallerIdentityCommand({}));
      // Where this worker talks to AWS: the client compares it with its own (a different account is warned).
      return { account: out.Account ?? 'unknown', arn: out.Arn ?? 'unknown', region: clients.region, ...(clients.endpoint ? { endpoint: clients.endpoint } : {}) };
    },

    async describeTables(tables: { key: TableKey; name: string }[]): Promise<TableFact[]> {
      return mapWithConcurrency(tables, 8, async ({ key, name }): Promise<TableFact> => {
        try {
          const { Table } = await clients.dynamo.send(new DescribeTableCommand({ TableName: name }));
          let pointInTimeRecovery: TableFact['pointInTimeRecovery'] = 'UNKNOWN';
          try {
            const backups = await clients.dynamo.send(new DescribeContinuousBackupsCommand({ TableName: name }));
            pointInTimeRecovery =
              backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus === 'ENABLED'
                ? 'ENABLED'
                : 'DISABLED';
          } catch {
            // PITR status is informational; a missing permission must not fail preflight.
          }
          return { key, name, exists: true, status: Table?.TableStatus, itemCountEstimate: Table?.ItemCount, pointInTimeRecovery };
        } catch (err) {
          if (isNotFound(err)) return { key, name, exists: false };
          throw err;
        }
      });
    },

    async headBuckets(buckets: { key: BucketKey; name: string }[]): Promise<BucketFact[]> {
      return mapWithConcurrency(buckets, 8, async ({ key, name }): Promise<BucketFact> => {
        try {
          await clients.s3.send(new HeadBucketCommand({ Bucket: name }));
        } catch (err) {
          if (isNotFound(err)) return { key, name, exists: false };
          throw err;
        }
        let versioning: BucketFact['versioning'] = 'UNKNOWN';
        try {
          const v = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: name }));
          versioning = v.Status ?? 'Disabled';
        } catch {
          // informational only
        }
        return { key, name, exists: true, versioning };
      });
    },

    /** Exact count (paged COUNT scan): DescribeTable's ItemCount lags by hours on real AWS. */
    async countTableItems(tableName: string): Promise<number | undefined> {
      let count = 0;
      let start: Record<string, never> | undefined;
      try {
        do {
          const page = await clients.dynamo.send(
            new ScanCommand({ TableName: tableName, Select: 'COUNT', ExclusiveStartKey: start }),
          );
          count += page.Count ?? 0;
          start = page.LastEvaluatedKey as typeof start;
        } while (start);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
      return count;
    },

    async describeStack(stackName: string): Promise<StackFact> {
      try {
        const out = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
        const stack = out.Stacks?.[0];
        if (!stack || stack.StackStatus === 'DELETE_COMPLETE') return { name: stackName, exists: false };
        return { name: stackName, exists: true, status: stack.StackStatus };
      } catch (err) {
        // CloudFormation answers a missing stack with a ValidationError "does not exist".
        if (/does not exist/i.test(String((err as Error)?.message))) return { name: stackName, exists: false };
        throw err;
      }
    },
  };
  // Registered behind the activity edge (activities/index.ts): an unreachable endpoint or
  // missing credentials fail the check at once instead of retrying.
  return checks;
}

export type PreflightActivities = ReturnType<typeof createPreflightActivities>;
