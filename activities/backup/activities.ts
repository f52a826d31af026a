/**
 * Backup activities (DECISIONS.md §4), built from injected clients like every activity
 * group. Plain async functions: the `backup` CLI and the tests call them directly, the
 * worker registers them; they heartbeat only when running inside an activity.
 */
import type { AwsClients } from '../aws/clients';
import { failFastOnFatalAwsErrors } from '../aws/errors';
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

export function createBackupActivities(clients: AwsClients) {
  return {
    startTableBackups: (input: StartTableBackupsInput) => failFastOnFatalAwsErrors(() => startTableBackups(clients, input)),
    waitForBackups: (input: WaitForBackupsInput) => failFastOnFatalAwsErrors(() => waitForBackups(clients, input)),
    verifyBackups: (input: VerifyBackupsInput) => failFastOnFatalAwsErrors(() => verifyBackups(clients, input)),
    describeProtection: (input: { tables: TableRef[]; buckets: BucketRef[] }) => failFastOnFatalAwsErrors(() => describeProtection(clients, input)),
    enablePointInTimeRecovery: (tables: TableRef[]) => failFastOnFatalAwsErrors(() => enablePointInTimeRecovery(clients, tables)),
    exportTableToJsonLines: (input: ExportTableInput) => failFastOnFatalAwsErrors(() => exportTableToJsonLines(clients, input)),
    readExportPage: (input: ReadExportPageInput) => failFastOnFatalAwsErrors(() => readExportPage(clients, input)),
    describeExport: (source: ExportLocation) => failFastOnFatalAwsErrors(() => describeExport(clients, source)),
  };
}

export type BackupActivities = ReturnType<typeof createBackupActivities>;

export * from './onDemand';
export * from './protection';
export * from './jsonLinesExport';
