/**
 * The `backup create|verify|user-storage|status|enable-pitr` commands as functions of
 * (options, io), calling the backup operations directly (no Temporal), so tests run them
 * against the emulator without a process. Failures throw CliError with a one-line message.
 */
import { tablesTouched } from '../../src/plan/steps';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { BackupOperations, ExportLocation } from '../../activities/backup';
import { describeLocation } from '../../activities/backup';
import { isTableKey, type TableRef } from '../../src/backup';
import { BUCKET_KEYS, TABLE_KEYS, type Deployment } from '../../src/deployment/catalogue';
import { CliError, EXIT } from '../exitCodes';
import { table } from '../render/table';

export interface BackupIo {
  backup: BackupOperations;
  /** Which of these tables exist (preflight's DescribeTable check). */
  existingTables: (tables: TableRef[]) => Promise<TableRef[]>;
  out: (text: string) => void;
  now: () => Date;
}

/** `2026-11-25T16:02:27.123Z` → `20261125T160227Z`: sortable, and valid in file and backup names. */
export function compactTimestamp(date: Date): string {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** `--tables KEY,KEY` → table refs; unknown keys (or bucket keys) are refused by name. */
export function parseTableKeys(deployment: Deployment, list: string | undefined): TableRef[] | undefined {
  if (list === undefined) return undefined;
  const keys = [...new Set(list.split(',').map((k) => k.trim()).filter(Boolean))];
  if (keys.length === 0) throw new CliError('--tables names no table');
  const unknown = keys.filter((k) => !isTableKey(k));
  if (unknown.length) {
    throw new CliError(`--tables: not a table config key: ${unknown.join(', ')} (keys look like ACCOUNTS_DYNAMO_TABLE; buckets have no DynamoDB backups)`);
  }
  return TABLE_KEYS.filter((k) => keys.includes(k)).map((key) => ({ key, name: deployment.tables[key] }));
}

const allTables = (deployment: Deployment): TableRef[] => TABLE_KEYS.map((key) => ({ key, name: deployment.tables[key] }));

/** Activity failures (non-retryable by design) become CliErrors; a missing table is a missing prerequisite. */
async function asCliError<T>(work: () => Promise<T>, tableMissingMessage?: string): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof ApplicationFailure) {
      if (err.type === 'TableMissing') throw new CliError(tableMissingMessage ?? err.message, EXIT.prerequisitesMissing);
      throw new CliError(err.message, EXIT.failed);
    }
    throw err;
  }
}

/**
 * Every table a migration may change (docs/decisions/0008-backups-before-writes.md: backups cover
 * exactly those; the log tables it never migrates and the old user-storage table it only reads
 * are left out).
 */
const migratedTables = (deployment: Deployment): TableRef[] => {
  const touched = new Set<string>(tablesTouched(true));
  return TABLE_KEYS.filter((key) => touched.has(key)).map((key) => ({ key, name: deployment.tables[key] }));
};

/** The tables asked for (all must exist), or every existing table a migration changes. */
async function resolveTables(deployment: Deployment, requested: TableRef[] | undefined, io: BackupIo): Promise<TableRef[]> {
  const candidates = requested ?? migratedTables(deployment);
  const existing = await io.existingTables(candidates);
  if (requested) {
    const names = new Set(existing.map((t) => t.name));
    const missing = requested.filter((t) => !names.has(t.name));
    if (missing.length) {
      throw new CliError(`table(s) do not exist: ${missing.map((t) => `${t.name} (${t.key})`).join(', ')}`, EXIT.prerequisitesMissing);
    }
  }
  if (existing.length === 0) {
    throw new CliError(
      `no table of deployment ${deployment.depName}/${deployment.stage} exists: check --dep-name, --stage and --region`,
      EXIT.prerequisitesMissing,
    );
  }
  return existing;
}

export interface CreateOptions {
  deployment: Deployment;
  tables?: TableRef[];
  runId?: string;
  pollSeconds?: number;
  timeoutSeconds?: number;
  json?: boolean;
}

export async function runCreate(options: CreateOptions, io: BackupIo): Promise<void> {
  const { deployment } = options;
  const tables = await resolveTables(deployment, options.tables, io);
  const runId = options.runId ?? `cli-${compactTimestamp(io.now())}`;
  const started = await asCliError(() =>
    io.backup.startTableBackups({ tables, depName: deployment.depName, stage: deployment.stage, runId }),
  );
  await asCliError(() =>
    io.backup.waitForBackups({ arns: started.map((s) => s.backupArn), pollSeconds: options.pollSeconds ?? 5, timeoutSeconds: options.timeoutSeconds }),
  );
  const result = started.map((s) => ({ ...s, status: 'AVAILABLE' }));
  if (options.json) {
    io.out(JSON.stringify({ runId, backups: result }, null, 2));
    return;
  }
  io.out(table(['table', 'backup name', 'status', 'backup ARN'], result.map((b) => [b.key, b.backupName, b.reused ? 'AVAILABLE (reused)' : 'AVAILABLE', b.backupArn])));
  const reused = result.filter((b) => b.reused).length;
  io.out(`\n${result.length} backup(s) AVAILABLE for run ${runId}${reused ? ` (${reused} already existed)` : ''}.`);
}

export interface VerifyOptions {
  deployment: Deployment;
  tables?: TableRef[];
  maxAgeHours: number;
  json?: boolean;
}

export async function runVerify(options: VerifyOptions, io: BackupIo): Promise<void> {
  const { deployment } = options;
  if (!(options.maxAgeHours > 0)) throw new CliError(`--max-age-hours must be positive, got ${options.maxAgeHours}`);
  const tables = await resolveTables(deployment, options.tables, io);
  const result = await asCliError(() =>
    io.backup.verifyBackups({ tables, depName: deployment.depName, stage: deployment.stage, maxAgeHours: options.maxAgeHours }),
  );
  if (options.json) io.out(JSON.stringify(result, null, 2));
  else io.out(table(['table', 'name', 'status', 'detail'], result.tables.map((t) => [t.key, t.name, t.status.toUpperCase(), t.detail])));
  const failing = result.tables.filter((t) => t.status !== 'ok');
  if (failing.length) {
    throw new CliError(
      `${failing.length} table(s) without a backup newer than ${options.maxAgeHours} h: ${failing.map((t) => `${t.name} (${t.key}, ${t.status})`).join(', ')}`,
      EXIT.prerequisitesMissing,
    );
  }
  if (!options.json) io.out(`\nAll ${result.tables.length} table(s) have a backup newer than ${options.maxAgeHours} h.`);
}

export interface UserStorageOptions {
  deployment: Deployment;
  output?: string;
  s3?: string;
  json?: boolean;
}

/** `s3://bucket/key/with/slashes` → location; anything else is refused. */
export function parseS3Url(url: string): { bucket: string; key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new CliError(`--s3 must look like s3://bucket/key, got "${url}"`);
  return { bucket: match[1], key: match[2] };
}

export async function runUserStorage(options: UserStorageOptions, io: BackupIo): Promise<void> {
  const { deployment } = options;
  if (options.output && options.s3) throw new CliError('use either --output or --s3, not both');
  let destination: ExportLocation;
  if (options.s3) {
    destination = parseS3Url(options.s3);
  } else {
    const file = path.resolve(options.output ?? `user-storage-${deployment.depName}-${deployment.stage}-${compactTimestamp(io.now())}.jsonl`);
    // An export is evidence: never replace an earlier one silently.
    if (existsSync(file)) throw new CliError(`${file} already exists: choose another --output or move it away`);
    destination = { file };
  }
  const tableName = deployment.tables.OLD_USER_STORAGE_TABLE;
  const result = await asCliError(
    () => io.backup.exportTableToJsonLines({ tableName, destination }),
    `the old user-storage table ${tableName} does not exist: nothing to export (already removed with the basic-ops stack, or wrong --dep-name/--stage/--region)`,
  );
  if (options.json) {
    io.out(JSON.stringify(result, null, 2));
    return;
  }
  io.out(`exported ${result.items} item(s) of ${tableName} to ${describeLocation(result.destination)}`);
  io.out(`bytes  ${result.bytes}`);
  io.out(`sha256 ${result.sha256}`);
}

export interface StatusOptions {
  deployment: Deployment;
  json?: boolean;
}

export async function runStatus(options: StatusOptions, io: BackupIo): Promise<void> {
  const { deployment } = options;
  const report = await asCliError(() =>
    io.backup.describeProtection({
      tables: allTables(deployment),
      buckets: BUCKET_KEYS.map((key) => ({ key, name: deployment.buckets[key] })),
    }),
  );
  if (options.json) {
    io.out(JSON.stringify(report, null, 2));
    return;
  }
  io.out(table(['table', 'name', 'PITR', 'earliest restorable'], report.tables.map((t) => [t.key, t.name, t.pointInTimeRecovery, t.earliestRestorable ?? ''])));
  io.out('');
  io.out(table(['bucket', 'name', 'versioning'], report.buckets.map((b) => [b.key, b.name, b.versioning])));
  const noPitr = report.tables.filter((t) => t.pointInTimeRecovery === 'DISABLED').length;
  const unversioned = report.buckets.filter((b) => b.versioning === 'Disabled' || b.versioning === 'Suspended').length;
  io.out(`\n${noPitr} existing table(s) without PITR (enable with "backup enable-pitr"); ${unversioned} existing bucket(s) not versioned (required before cleanup).`);
}

export interface EnablePitrOptions {
  deployment: Deployment;
  tables?: TableRef[];
}

export async function runEnablePitr(options: EnablePitrOptions, io: BackupIo): Promise<void> {
  const tables = await resolveTables(options.deployment, options.tables, io);
  const result = await asCliError(() => io.backup.enablePointInTimeRecovery(tables));
  io.out(table(['table', 'name', 'PITR'], result.map((t) => [t.key, t.name, t.changed ? 'ENABLED (now)' : 'ENABLED (already)'])));
}
