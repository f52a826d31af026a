/** Status, plan and report as text: phases with progress bars, totals per table and bucket. */
import type { Totals } from '../../src/report/counters';
import type { describePlan } from '../../src/plan/steps';
import { PHASE_ORDER, type MigrationReport, type MigrationStatus, type Phase } from '../../workflows/types';
import { progressLines } from './bars';
import { table } from './table';
import { activityLabel } from '../statusWords';

const PHASES: readonly Phase[] = PHASE_ORDER;

export function bar(done: number, total: number, width = 30): string {
  const ratio = total > 0 ? Math.min(1, done / total) : 0;
  const filled = Math.round(ratio * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

/** `now` (ms since the epoch) gives the bars their rates and ETAs; null leaves them out. */
export function renderStatus(s: MigrationStatus, now: number | null = Date.now()): string {
  const pass = activityLabel(s);
  const lines = [`${s.workflowId} (${s.deployment}, run ${s.runId}) ${pass}${s.paused ? ' PAUSED' : ''}`];
  const current = PHASES.indexOf(s.phase);
  lines.push(
    PHASES.map((p, i) => (p === s.phase ? `▶ ${p}` : current >= 0 && i < current ? `✓ ${p}` : `· ${p}`))
      .filter((_, i) => Math.abs(i - current) <= 3 || i === PHASES.length - 1)
      .join('  '),
  );
  lines.push(...progressLines(s, now));
  lines.push(`conflicts ${s.conflicts}, failures ${s.failures}, backups ${s.backups}`);
  if (s.awaitingGate) lines.push(`AWAITING APPROVAL of gate "${s.awaitingGate}": amplify-migrate approve --gate ${s.awaitingGate} (or reject)`);
  if (s.waitingFor) lines.push(`WAITING: ${s.waitingFor}; then: amplify-migrate deployed`);
  if (s.rejected) lines.push(`REJECTED at gate "${s.rejected.gate}": ${s.rejected.reason}`);
  return lines.join('\n');
}

export function renderTotals(totals: Totals): string {
  const lines: string[] = [];
  const tables = Object.entries(totals.tables).sort(([a], [b]) => a.localeCompare(b));
  if (tables.length) {
    lines.push(
      table(
        ['table', 'read', 'written', 'moved', 'unchanged', 'conflicts', 'failures'],
        tables.map(([k, t]) => [k, t.itemsRead, t.itemsWritten, t.itemsMoved, t.itemsUnchanged, t.conflicts, t.failures]),
      ),
    );
  }
  const buckets = Object.entries(totals.buckets).sort(([a], [b]) => a.localeCompare(b));
  if (buckets.length) {
    lines.push('');
    lines.push(
      table(
        ['bucket', 'listed', 'copied', 'skipped', 'bytes', 'conflicts', 'failures'],
        buckets.map(([k, b]) => [k, b.objectsListed, b.objectsCopied, b.objectsSkipped, b.bytesCopied, b.conflicts, b.failures]),
      ),
    );
  }
  if (totals.problems.length) {
    lines.push('');
    lines.push(`problems (${totals.problemCount}${totals.problemCount > totals.problems.length ? `, first ${totals.problems.length} listed` : ''}):`);
    for (const p of totals.problems) {
      lines.push(`  ${p.kind} ${p.where}${p.user ? ` user ${p.user}` : ''}${p.source ? ` ${p.source}` : ''}${p.target ? ` → ${p.target}` : ''}: ${p.reason}`);
    }
  }
  return lines.join('\n');
}

export function renderReport(r: MigrationReport): string {
  const lines = [`Migration ${r.deployment.depName}/${r.deployment.stage} run ${r.runId}: ${r.outcome.toUpperCase()}`];
  lines.push(`users: ${r.users.done} done, ${r.users.failed} failed of ${r.users.total}`);
  for (const f of r.users.failedUsers) lines.push(`  failed ${f.oldId} → ${f.newId}: ${f.reason}`);
  if (r.backupsSkipped) lines.push(r.dryRun ? 'backups: not taken (dry run)' : 'backups: SKIPPED (--dont-backup)');
  for (const b of r.backups) lines.push(`backup ${b.table}: ${b.backupArn} (${b.status})`);
  if (r.export) lines.push(`old user-storage export: ${r.export.location} (${r.export.items} items, sha256 ${r.export.sha256})`);
  if (r.verification) {
    const v = r.verification;
    lines.push(`verification: ${v.itemsChecked} items in ${v.tablesChecked} tables, ${v.oldIdsLeft} still reference an old id; ${v.objectsChecked} copies checked, ${v.objectsMissing} missing or different`);
    for (const p of v.problems) lines.push(`  ${p.where}${p.source ? ` ${p.source}` : ''}: ${p.reason}`);
  }
  lines.push('');
  lines.push(renderTotals(r.totals));
  if (r.rejected) lines.push(`rejected at gate "${r.rejected.gate}": ${r.rejected.reason}`);
  return lines.join('\n');
}

export function renderStrategy(plan: ReturnType<typeof describePlan>): string {
  const lines = [
    table(
      ['table / source', 'strategy', 'what changes'],
      plan.lines.map((l) => [l.table ?? l.source ?? '', l.strategy, l.describe]),
    ),
    '',
    'not migrated:',
    ...plan.notMigrated.map((n) => `  ${n.table}: ${n.reason}`),
  ];
  return lines.join('\n');
}
