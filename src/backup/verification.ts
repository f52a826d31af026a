/**
 * Is every table the run will change covered by a recent backup of ours
 * (docs/decisions/0008-backups-before-writes.md)? Pure: the backups listed and `now` are passed
 * in.
 *
 * Fixes of the legacy check: names must *start with* our deployment's
 * prefix (not merely contain a date pattern), only tables are checked (never bucket names),
 * only AVAILABLE backups count, and the age is measured against UTC instants.
 */
import type { TableKey } from '../deployment/catalogue';
import { backupNamePrefix } from './names';

export interface ListedBackup {
  tableName: string;
  backupName: string;
  backupArn: string;
  /** ISO 8601 instant. */
  createdAt: string;
  /** CREATING | AVAILABLE | DELETED */
  status: string;
}

export type BackupVerificationStatus = 'ok' | 'missing' | 'too-old';

export interface TableBackupVerification {
  key: TableKey;
  name: string;
  status: BackupVerificationStatus;
  /** The newest AVAILABLE backup of ours for this table, whatever its age. */
  newest?: { backupName: string; backupArn: string; createdAt: string; ageHours: number };
  /** One line for the operator. */
  detail: string;
}

export interface BackupVerification {
  ok: boolean;
  maxAgeHours: number;
  tables: TableBackupVerification[];
}

export interface BackupVerificationInput {
  backups: readonly ListedBackup[];
  tables: readonly { key: TableKey; name: string }[];
  depName: string;
  stage: string;
  maxAgeHours: number;
  now: Date;
}

const HOUR_MS = 3_600_000;

export function evaluateBackupVerification(input: BackupVerificationInput): BackupVerification {
  const { backups, tables, maxAgeHours, now } = input;
  if (!(maxAgeHours > 0)) throw new RangeError(`maxAgeHours must be positive, got ${maxAgeHours}`);
  const prefix = backupNamePrefix(input);
  const results = tables.map(({ key, name }): TableBackupVerification => {
    const ours = backups.filter((b) => b.tableName === name && b.backupName.startsWith(prefix));
    const available = ours.filter((b) => b.status === 'AVAILABLE');
    const newest = available.reduce<ListedBackup | undefined>(
      (best, b) => (best === undefined || Date.parse(b.createdAt) > Date.parse(best.createdAt) ? b : best),
      undefined,
    );
    if (!newest) {
      const pending = ours.filter((b) => b.status === 'CREATING').length;
      return {
        key,
        name,
        status: 'missing',
        detail: pending
          ? `${pending} backup(s) named ${prefix}… still CREATING, none AVAILABLE`
          : `no AVAILABLE backup named ${prefix}…`,
      };
    }
    const ageHours = (now.getTime() - Date.parse(newest.createdAt)) / HOUR_MS;
    const summary = { backupName: newest.backupName, backupArn: newest.backupArn, createdAt: newest.createdAt, ageHours };
    if (ageHours > maxAgeHours) {
      return {
        key,
        name,
        status: 'too-old',
        newest: summary,
        detail: `newest backup ${newest.backupName} is ${ageHours.toFixed(1)} h old (limit ${maxAgeHours} h)`,
      };
    }
    return { key, name, status: 'ok', newest: summary, detail: `${newest.backupName} (${ageHours.toFixed(1)} h old)` };
  });
  return { ok: results.every((r) => r.status === 'ok'), maxAgeHours, tables: results };
}
