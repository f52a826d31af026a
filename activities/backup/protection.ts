/**
 * Point-in-time recovery per table and versioning per bucket
 * (docs/decisions/0008-backups-before-writes.md): reported always, PITR enabled only on request;
 * versioning is required before any cleanup.
 */
import { DescribeContinuousBackupsCommand, TableNotFoundException, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '../failureTypes';
import type { AwsClients } from '../aws/clients';
import { mapWithConcurrency } from '../concurrency';
import type { BucketKey } from '../../src/deployment/catalogue';
import type { TableRef } from '../../src/backup';
import { abortSignal } from './activityContext';

export interface BucketRef {
  key: BucketKey;
  name: string;
}

export type PitrStatus = 'ENABLED' | 'DISABLED' | 'MISSING';
/** S3 reports no status for a bucket whose versioning was never enabled: that is 'Disabled'. */
export type VersioningStatus = 'Enabled' | 'Suspended' | 'Disabled' | 'MISSING';

export interface TableProtection extends TableRef {
  pointInTimeRecovery: PitrStatus;
  /** ISO instant, when PITR is enabled. */
  earliestRestorable?: string;
}

export interface BucketProtection extends BucketRef {
  versioning: VersioningStatus;
}

export interface ProtectionReport {
  tables: TableProtection[];
  buckets: BucketProtection[];
}

export interface EnabledPitr extends TableRef {
  /** False when PITR was already enabled. */
  changed: boolean;
}

const isTableMissing = (err: unknown) =>
  err instanceof TableNotFoundException || ['TableNotFoundException', 'ResourceNotFoundException'].includes((err as { name?: string }).name ?? '');

async function tablePitr(clients: AwsClients, table: TableRef): Promise<TableProtection> {
  try {
    const { ContinuousBackupsDescription } = await clients.dynamo.send(new DescribeContinuousBackupsCommand({ TableName: table.name }), {
      abortSignal: abortSignal(),
    });
    const pitr = ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
    if (pitr?.PointInTimeRecoveryStatus === 'ENABLED') {
      return { ...table, pointInTimeRecovery: 'ENABLED', earliestRestorable: pitr.EarliestRestorableDateTime?.toISOString() };
    }
    return { ...table, pointInTimeRecovery: 'DISABLED' };
  } catch (err) {
    if (isTableMissing(err)) return { ...table, pointInTimeRecovery: 'MISSING' };
    throw err;
  }
}

async function bucketVersioning(clients: AwsClients, bucket: BucketRef): Promise<BucketProtection> {
  try {
    const { Status } = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket.name }), { abortSignal: abortSignal() });
    return { ...bucket, versioning: Status === 'Enabled' || Status === 'Suspended' ? Status : 'Disabled' };
  } catch (err) {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (e.name === 'NoSuchBucket' || e.$metadata?.httpStatusCode === 404) return { ...bucket, versioning: 'MISSING' };
    throw err;
  }
}

export async function describeProtection(clients: AwsClients, input: { tables: TableRef[]; buckets: BucketRef[] }): Promise<ProtectionReport> {
  const [tables, buckets] = await Promise.all([
    mapWithConcurrency(input.tables, 8, (t) => tablePitr(clients, t)),
    mapWithConcurrency(input.buckets, 8, (b) => bucketVersioning(clients, b)),
  ]);
  return { tables, buckets };
}

export async function enablePointInTimeRecovery(clients: AwsClients, tables: TableRef[]): Promise<EnabledPitr[]> {
  return mapWithConcurrency(tables, 4, async (table): Promise<EnabledPitr> => {
    const before = await tablePitr(clients, table);
    if (before.pointInTimeRecovery === 'MISSING') {
      throw ApplicationFailure.nonRetryable(`cannot enable point-in-time recovery on table ${table.name} (${table.key}): it does not exist`, FAILURE_TYPES.tableMissing);
    }
    if (before.pointInTimeRecovery === 'ENABLED') return { ...table, changed: false };
    await clients.dynamo.send(
      new UpdateContinuousBackupsCommand({ TableName: table.name, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }),
      { abortSignal: abortSignal() },
    );
    return { ...table, changed: true };
  });
}
