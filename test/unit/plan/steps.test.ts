/** Which work a migration does, derived from the rules and sources (src/plan/steps.ts). */
import { TABLE_RULES } from '../../../src/rules';
import {
  bulkSources,
  describePlan,
  legacyBucketSources,
  perUserSources,
  perUserTables,
  pointersReady,
  referenceTables,
  referencesRow,
  scannedTables,
  tablesTouched,
  USER_CONVERSIONS,
} from '../../../src/plan/steps';
import { S3_SOURCES } from '../../../src/s3layout/sources';

describe('plan steps', () => {
  it('splits the S3 sources into per-user and bulk, each once', () => {
    expect([...perUserSources(), ...bulkSources()].map((s) => s.name).sort()).toEqual(S3_SOURCES.map((s) => s.name).sort());
    expect(perUserSources().every((s) => s.scope === 'perUser')).toBe(true);
  });

  it('verifies and cleans up only sources in legacy buckets, not the split-state remaps inside the consolidation bucket', () => {
    const names = legacyBucketSources().map((s) => s.name);
    expect(names.some((n) => n.endsWith('SplitState'))).toBe(false);
    expect(names).toEqual([...perUserSources(), ...bulkSources()].filter((s) => !s.name.endsWith('SplitState')).map((s) => s.name));
  });

  it('moves pointers only when the bulk copies and every step of the user are clean', () => {
    const clean = { failureCount: 0, conflictCount: 0 };
    expect(pointersReady(true, [clean, clean])).toBe(true);
    expect(pointersReady(false, [clean])).toBe(false);
    expect(pointersReady(true, [clean, { failureCount: 1, conflictCount: 0 }])).toBe(false);
    expect(pointersReady(true, [{ failureCount: 0, conflictCount: 1 }])).toBe(false);
  });

  it('touches the scanned, the per-user and the USER_DATA_STORAGE tables, and fewer when no id changes', () => {
    const all = tablesTouched(true);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toEqual(expect.arrayContaining([...perUserTables({ oldId: 'a', newId: 'b' }), ...scannedTables(true), 'USER_DATA_STORAGE_TABLE']));
    const sameIds = tablesTouched(false);
    expect(sameIds.length).toBeLessThan(all.length);
    expect(sameIds.every((t) => all.includes(t))).toBe(true);
  });

  it('runs the references pass only over per-user tables whose items name other users, under their own report row', () => {
    const references = referenceTables(true);
    expect(references.length).toBeGreaterThan(0);
    expect(references.every((t) => perUserTables({ oldId: 'a', newId: 'b' }).includes(t))).toBe(true);
    expect(referencesRow('SHARES_DYNAMODB_TABLE')).toBe("SHARES_DYNAMODB_TABLE (outsiders' references)");
  });

  it('runs the conversions in the legacy order', () => {
    expect(USER_CONVERSIONS).toEqual(['artifacts', 'workflowTemplates', 'scheduledTaskLogs', 'shares']);
  });

  it('describes every rule, references pass and source in the static plan', () => {
    const { lines } = describePlan();
    expect(lines.filter((l) => l.table).length).toBe(TABLE_RULES.length + referenceTables(true).length);
    expect(lines.filter((l) => l.source)).toHaveLength(S3_SOURCES.length);
  });
});
