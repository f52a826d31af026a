/**
 * Which work a migration does, derived from the table rules and the S3 sources: the
 * workflows ask this module, so adding a rule or a source needs no workflow change.
 */
import { NOT_MIGRATED_TABLES, type TableKey } from '../deployment/catalogue';
import type { IdPair } from '../idmap/types';
import { TABLE_RULES } from '../rules';
import { referencesOthers } from '../rules/outsiders';
import type { TableRule } from '../rules/types';
import { S3_SOURCES, type S3Source } from '../s3layout/sources';
import type { Totals } from '../report/counters';

export type UserConversion = 'artifacts' | 'workflowTemplates' | 'scheduledTaskLogs' | 'shares';

/**
 * Conversions of legacy rows + objects into USER_DATA_STORAGE items, per user, in the legacy
 * order. They read the legacy rows by the OLD id, so they run before the table rewrites move
 * those rows.
 */
export const USER_CONVERSIONS: readonly UserConversion[] = ['artifacts', 'workflowTemplates', 'scheduledTaskLogs', 'shares'];

const applies = (rule: TableRule, user: IdPair): boolean => rule.when === 'always' || user.oldId !== user.newId;

/** Tables a user's child workflow rewrites through a key or GSI query, in the legacy order. */
export function perUserTables(user: IdPair): TableKey[] {
  return TABLE_RULES.filter((r) => r.finder.kind !== 'scan' && applies(r, user)).map((r) => r.table);
}

/** Tables read once per run by a parallel scan that applies the whole map. */
export function scannedTables(changesAnyId: boolean): TableKey[] {
  return TABLE_RULES.filter((r) => r.finder.kind === 'scan' && (r.when === 'always' || changesAnyId)).map((r) => r.table);
}

/**
 * Per-user tables whose items may name other users: read once per run by a parallel scan
 * that rewrites the items of users OUTSIDE the map (src/rules/outsiders.ts), after the
 * per-user phase. Their counters are reported under their own row, referencesRow(table).
 */
export function referenceTables(changesAnyId: boolean): TableKey[] {
  return TABLE_RULES.filter((r) => referencesOthers(r) && (r.when === 'always' || changesAnyId)).map((r) => r.table);
}

/** The report's row for a table's references pass, apart from the per-user row of the same table. */
export function referencesRow(table: TableKey): string {
  return `${table} (outsiders' references)`;
}

export function perUserSources(): S3Source[] {
  return S3_SOURCES.filter((s) => s.scope === 'perUser');
}

/**
 * Pointers (s3 keys, memory keys, template and log keys) move only once everything they could
 * point at is copied or converted and verified; otherwise they keep their old value and a
 * re-run moves them. `steps` are the user's copies and conversions.
 */
export function pointersReady(bulkCopiesVerified: boolean, steps: readonly Pick<Totals, 'failureCount' | 'conflictCount'>[]): boolean {
  return bulkCopiesVerified && steps.every((s) => s.failureCount === 0 && s.conflictCount === 0);
}

/** Whole-bucket and run-wide sources: listed once per run, copied before any pointer moves. */
export function bulkSources(): S3Source[] {
  return S3_SOURCES.filter((s) => s.scope !== 'perUser');
}

/**
 * The sources in legacy buckets, per user and bulk: verification checks their copies and the
 * approved cleanup deletes their verified originals. The split-state sources are left out:
 * they remap objects inside the consolidation bucket, which is itself the destination.
 */
export function legacyBucketSources(): S3Source[] {
  return [...perUserSources(), ...bulkSources()].filter((s) => s.bucket !== 'S3_CONSOLIDATION_BUCKET_NAME');
}

/** Every table the run may write: what the backups must cover. */
export function tablesTouched(changesAnyId: boolean): TableKey[] {
  const keys = new Set<TableKey>([
    ...TABLE_RULES.filter((r) => r.when === 'always' || changesAnyId).map((r) => r.table),
    ...scannedTables(changesAnyId),
    'USER_DATA_STORAGE_TABLE',
  ]);
  return [...keys];
}

export interface PlanLine {
  table?: TableKey;
  source?: string;
  strategy: string;
  describe: string;
}

/** The static plan: every table and source with its finder strategy, and what is not migrated. */
export function describePlan(): { lines: PlanLine[]; notMigrated: { table: TableKey; reason: string }[] } {
  const lines: PlanLine[] = [
    ...TABLE_RULES.map((r) => ({
      table: r.table,
      strategy:
        r.finder.kind === 'scan'
          ? 'scan once per run (whole map)'
          : r.finder.kind === 'index'
            ? `query GSI ${r.finder.index} per user`
            : 'query hash key per user',
      describe: `${r.when === 'idChanged' ? '[id change] ' : ''}${r.describe}`,
    })),
    ...TABLE_RULES.filter(referencesOthers).map((r) => ({
      table: r.table,
      strategy: 'scan once per run (items of users outside the map)',
      describe: `${r.when === 'idChanged' ? '[id change] ' : ''}references to migrated users in items they do not own: ${r.othersReferenced}; the owner's own ids kept`,
    })),
    ...S3_SOURCES.map((s) => ({ source: `${s.name} (${s.bucket})`, strategy: s.scope === 'perUser' ? 'list per user' : 'list once per run', describe: s.describe })),
  ];
  const notMigrated = Object.entries(NOT_MIGRATED_TABLES).map(([table, reason]) => ({ table: table as TableKey, reason: reason as string }));
  return { lines, notMigrated };
}
