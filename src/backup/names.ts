/**
 * Names of the on-demand backups we create (docs/decisions/0008-backups-before-writes.md):
 * `amplify-migrate-{dep}-{stage}-{run}-{table suffix}`.
 *
 * The legacy named backups after the last hyphen segment of the table name, so both
 * user-storage tables became `…-storage` and the shares table `…-dev`. We derive the suffix
 * from the catalogue config key instead, which is unique by construction and readable.
 */
import type { TableKey } from '../deployment/catalogue';

export const BACKUP_NAME_PREFIX = 'amplify-migrate';

/** CreateBackup's BackupName: 3-255 characters of `[a-zA-Z0-9_.-]`. */
export const BACKUP_NAME_PATTERN = /^[a-zA-Z0-9_.-]{3,255}$/;
export const MAX_BACKUP_NAME_LENGTH = 255;

/** Long enough for any timestamp or uuid-based run id; keeps the full name well under 255. */
export const MAX_RUN_ID_LENGTH = 64;

export class BackupNameError extends Error {}

/**
 * The config key without its storage-type ending, lower-case, `_` → `-`:
 * ACCOUNTS_DYNAMO_TABLE → accounts, OLD_USER_STORAGE_TABLE → old-user-storage.
 * Stripping only the ending keeps distinct keys distinct (the test checks all 45).
 */
export function tableSuffix(key: TableKey | string): string {
  const stem = key.replace(/_(DYNAMODB|DYNAMO)?_?TABLE$/, '');
  const suffix = stem
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (!suffix) throw new BackupNameError(`cannot derive a backup name suffix from table key "${key}"`);
  return suffix;
}

/**
 * A run id as it may appear in a backup name: characters outside `[a-zA-Z0-9_.-]` become
 * `-` (a Temporal workflow/run id may hold `:` or `/`), capped at MAX_RUN_ID_LENGTH.
 */
export function sanitizeRunId(runId: string): string {
  const clean = runId
    .replace(/[^a-zA-Z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_RUN_ID_LENGTH)
    .replace(/-+$/, '');
  if (!clean) throw new BackupNameError(`run id "${runId}" has no characters usable in a backup name`);
  return clean;
}

/** What every backup of this deployment starts with; verification matches on it. */
export function backupNamePrefix(ref: { depName: string; stage: string }): string {
  return `${BACKUP_NAME_PREFIX}-${ref.depName}-${ref.stage}-`;
}

export interface BackupNameInput {
  depName: string;
  stage: string;
  runId: string;
  tableKey: TableKey;
}

export function backupName({ depName, stage, runId, tableKey }: BackupNameInput): string {
  const name = `${backupNamePrefix({ depName, stage })}${sanitizeRunId(runId)}-${tableSuffix(tableKey)}`;
  if (!BACKUP_NAME_PATTERN.test(name)) {
    // Unreachable with validated dep names and stages; guards against callers that skipped validation.
    throw new BackupNameError(`backup name "${name}" is not a valid DynamoDB backup name`);
  }
  return name;
}
