/**
 * Backup operations (docs/decisions/0008-backups-before-writes.md), built from injected clients
 * like every activity group. Plain async functions, not registered with Temporal themselves: the
 * `backup` CLI and the tests call them directly, and the registered migration backup activities
 * (activities/migration/backups.ts) call them inside the worker; they heartbeat only when running
 * inside an activity.
 */
import type { AwsClients } from '../aws/clients';
import { atActivityEdge } from '../failures';
import type { TableRef } from '../../src/backup';
import {
  startTableBackups,
  verifyBackups,
  waitForBackups,
  type StartTableBackupsInput,
  type VerifyBackupsInput,
  type WaitForBackupsInput,
} from './onDemand';
import { describeProtection, enablePointInTimeRecovery, type BucketRef } from './protection';
import {
  describeExport,
  exportTableToJsonLines,
  readExportPage,
  type ExportLocation,
  type ExportTableInput,
  type ReadExportPageInput,
} from './jsonLinesExport';

export function createBackupOperations(clients: AwsClients) {
  // Behind the activity edge here too: the `backup` CLI calls these in-process, not through the worker.
  return atActivityEdge({
    startTableBackups: (input: StartTableBackupsInput) => startTableBackups(clients, input),
    waitForBackups: (input: WaitForBackupsInput) => waitForBackups(clients, input),
    verifyBackups: (input: VerifyBackupsInput) => verifyBackups(clients, input),
    describeProtection: (input: { tables: TableRef[]; buckets: BucketRef[] }) => describeProtection(clients, input),
    enablePointInTimeRecovery: (tables: TableRef[]) => enablePointInTimeRecovery(clients, tables),
    exportTableToJsonLines: (input: ExportTableInput) => exportTableToJsonLines(clients, input),
    readExportPage: (input: ReadExportPageInput) => readExportPage(clients, input),
    describeExport: (source: ExportLocation) => describeExport(clients, source),
  });
}

export type BackupOperations = ReturnType<typeof createBackupOperations>;

export * from './onDemand';
export * from './protection';
export * from './jsonLinesExport';
