/**
 * DynamoDB on-demand backups of the tables a run will change
 * (docs/decisions/0008-backups-before-writes.md): created under our deterministic names (a retry
 * or a re-run reuses the backup it already made), waited on until AVAILABLE, and verified by name
 * prefix and age.
 */
import {
  CreateBackupCommand,
  DescribeBackupCommand,
  ListBackupsCommand,
  TableNotFoundException,
  type BackupSummary,
} from '@aws-sdk/client-dynamodb';
import { ApplicationFailure } from '@temporalio/common';
import { FAILURE_TYPES } from '../failureTypes';
import type { AwsClients } from '../aws/clients';
import { mapWithConcurrency } from '../concurrency';
import { backupName, evaluateBackupVerification, type BackupVerification, type ListedBackup, type TableRef } from '../../src/backup';
import { abortSignal, heartbeat, pause } from './activityContext';

/** CreateBackup is a control-plane call with low account-wide limits; stay well below them. */
const CONTROL_PLANE_CONCURRENCY = 4;

export interface StartTableBackupsInput {
  tables: TableRef[];
  depName: string;
  stage: string;
  runId: string;
}

export interface StartedBackup extends TableRef {
  backupArn: string;
  backupName: string;
  /** CREATING | AVAILABLE (as reported when started or found). */
  status: string;
  /** True when a backup with this exact name already existed (a retry or a re-run). */
  reused: boolean;
}

export interface WaitForBackupsInput {
  arns: string[];
  /** Time between DescribeBackup rounds. Default 10 s. */
  pollSeconds?: number;
  /** Give up after this long (the CLI sets one; in a workflow the activity timeout rules). */
  timeoutSeconds?: number;
}

export interface AvailableBackup {
  backupArn: string;
  backupName: string;
  tableName: string;
  status: 'AVAILABLE';
  sizeBytes?: number;
  createdAt?: string;
}

export interface VerifyBackupsInput {
  tables: TableRef[];
  depName: string;
  stage: string;
  /** Default 24. */
  maxAgeHours?: number;
}

export const DEFAULT_MAX_BACKUP_AGE_HOURS = 24;

function toListed(summary: BackupSummary, fallbackTable: string): ListedBackup {
  return {
    tableName: summary.TableName ?? fallbackTable,
    backupName: summary.BackupName ?? '',
    backupArn: summary.BackupArn ?? '',
    createdAt: (summary.BackupCreationDateTime ?? new Date(0)).toISOString(),
    status: summary.BackupStatus ?? 'UNKNOWN',
  };
}

/** Every user backup of one table (all pages), optionally only those created after `since`. */
export async function listTableBackups(clients: AwsClients, tableName: string, since?: Date): Promise<ListedBackup[]> {
  const out: ListedBackup[] = [];
  let start: string | undefined;
  do {
    const page = await clients.dynamo.send(
      new ListBackupsCommand({
        TableName: tableName,
        BackupType: 'USER',
        ...(since ? { TimeRangeLowerBound: since } : {}),
        ...(start ? { ExclusiveStartBackupArn: start } : {}),
      }),
      { abortSignal: abortSignal() },
    );
    // Filter on the table name too: an emulator may ignore the TableName filter.
    for (const summary of page.BackupSummaries ?? []) {
      if ((summary.TableName ?? tableName) === tableName) out.push(toListed(summary, tableName));
    }
    start = page.LastEvaluatedBackupArn;
  } while (start);
  return out;
}

const USABLE = new Set(['CREATING', 'AVAILABLE']);

export async function startTableBackups(clients: AwsClients, input: StartTableBackupsInput): Promise<StartedBackup[]> {
  try {
    return await startEachTableBackup(clients, input);
  } catch (err) {
    // DynamoDB Local and dynoxide answer backup calls so; no retry will change that.
    if ((err as { name?: string }).name === 'UnknownOperationException') {
      throw ApplicationFailure.nonRetryable(
        `this DynamoDB endpoint does not support on-demand backups (UnknownOperationException): run with --dont-backup on an emulator, or against DynamoDB itself`,
        FAILURE_TYPES.backupsUnsupported,
      );
    }
    throw err;
  }
}

async function startEachTableBackup(clients: AwsClients, input: StartTableBackupsInput): Promise<StartedBackup[]> {
  // One backup per physical table: two concurrent creates under one name would both miss
  // the other in ListBackups and leave two backups.
  const tables = input.tables.filter((t, i, all) => all.findIndex((o) => o.name === t.name) === i);
  return mapWithConcurrency(tables, CONTROL_PLANE_CONCURRENCY, async (table): Promise<StartedBackup> => {
    const name = backupName({ depName: input.depName, stage: input.stage, runId: input.runId, tableKey: table.key });
    const existing = (await listTableBackups(clients, table.name))
      .filter((b) => b.backupName === name && USABLE.has(b.status))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    heartbeat();
    if (existing) {
      return { ...table, backupArn: existing.backupArn, backupName: name, status: existing.status, reused: true };
    }
    try {
      const { BackupDetails } = await clients.dynamo.send(new CreateBackupCommand({ TableName: table.name, BackupName: name }), {
        abortSignal: abortSignal(),
      });
      if (!BackupDetails?.BackupArn) throw new Error(`CreateBackup for table ${table.name} returned no backup ARN`);
      return { ...table, backupArn: BackupDetails.BackupArn, backupName: name, status: BackupDetails.BackupStatus ?? 'CREATING', reused: false };
    } catch (err) {
      if (err instanceof TableNotFoundException || (err as { name?: string }).name === 'TableNotFoundException') {
        throw ApplicationFailure.nonRetryable(`cannot back up table ${table.name} (${table.key}): it does not exist`, FAILURE_TYPES.tableMissing);
      }
      throw err;
    }
  });
}

/** `arn:…:table/{name}/backup/{id}` → name, for error messages when DescribeBackup cannot say. */
export function tableNameFromBackupArn(arn: string): string {
  return /:table\/([^/]+)\/backup\//.exec(arn)?.[1] ?? arn;
}

export async function waitForBackups(clients: AwsClients, input: WaitForBackupsInput): Promise<AvailableBackup[]> {
  const pollMs = Math.max(0, (input.pollSeconds ?? 10) * 1000);
  const deadline = input.timeoutSeconds === undefined ? undefined : Date.now() + input.timeoutSeconds * 1000;
  const done = new Map<string, AvailableBackup>();
  let pending = [...new Set(input.arns)];
  for (;;) {
    const stillPending: string[] = [];
    for (const arn of pending) {
      let description;
      try {
        description = (await clients.dynamo.send(new DescribeBackupCommand({ BackupArn: arn }), { abortSignal: abortSignal() })).BackupDescription;
      } catch (err) {
        if ((err as { name?: string }).name === 'BackupNotFoundException') {
          throw ApplicationFailure.nonRetryable(`backup of table ${tableNameFromBackupArn(arn)} no longer exists (${arn})`, FAILURE_TYPES.backupFailed);
        }
        throw err;
      }
      const details = description?.BackupDetails;
      const tableName = description?.SourceTableDetails?.TableName ?? tableNameFromBackupArn(arn);
      const status = details?.BackupStatus;
      if (status === 'AVAILABLE') {
        done.set(arn, {
          backupArn: arn,
          backupName: details?.BackupName ?? '',
          tableName,
          status,
          sizeBytes: details?.BackupSizeBytes,
          createdAt: details?.BackupCreationDateTime?.toISOString(),
        });
      } else if (status === 'CREATING') {
        stillPending.push(arn);
      } else {
        throw ApplicationFailure.nonRetryable(
          `backup ${details?.BackupName ?? arn} of table ${tableName} ended ${status ?? 'in an unknown state'} instead of AVAILABLE`,
          FAILURE_TYPES.backupFailed,
        );
      }
    }
    pending = stillPending;
    heartbeat({ available: done.size, pending: pending.length });
    if (pending.length === 0) break;
    if (deadline !== undefined && Date.now() >= deadline) {
      const tables = pending.map(tableNameFromBackupArn).join(', ');
      throw ApplicationFailure.nonRetryable(`backups still CREATING after ${input.timeoutSeconds} s: ${tables}`, FAILURE_TYPES.backupTimeout);
    }
    await pause(pollMs);
  }
  return input.arns.filter((arn, i, all) => all.indexOf(arn) === i).map((arn) => done.get(arn)!);
}

export async function verifyBackups(clients: AwsClients, input: VerifyBackupsInput): Promise<BackupVerification> {
  const maxAgeHours = input.maxAgeHours ?? DEFAULT_MAX_BACKUP_AGE_HOURS;
  const now = new Date();
  // No TimeRangeLowerBound: listing older backups too lets the report say "too old" (with
  // the newest one's age) rather than "missing"; the pure evaluation applies the age limit.
  const lists = await mapWithConcurrency(input.tables, CONTROL_PLANE_CONCURRENCY, (t) => listTableBackups(clients, t.name));
  return evaluateBackupVerification({
    backups: lists.flat(),
    tables: input.tables,
    depName: input.depName,
    stage: input.stage,
    maxAgeHours,
    now,
  });
}
