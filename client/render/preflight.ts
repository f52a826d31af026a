import type { PreflightReport } from '../../src/preflight/report';
import { table } from './table';

export function renderPreflight(report: PreflightReport): string {
  const lines: string[] = [];
  const { caller } = report;
  const where = caller.region ? `, region ${caller.region}, endpoint ${caller.endpoint ?? 'default AWS endpoints'}` : '';
  lines.push(`Deployment ${report.depName}/${report.stage} — as the workers see it: AWS account ${caller.account}${where} (${caller.arn})`);
  lines.push('');
  lines.push(
    table(
      ['table', 'name', 'exists', 'items', 'PITR'],
      report.tables.map((t) => [t.key, t.name, t.exists ? 'yes' : 'MISSING', t.itemCountEstimate ?? '', t.pointInTimeRecovery ?? '']),
    ),
  );
  lines.push('');
  lines.push(
    table(
      ['bucket', 'name', 'exists', 'versioning'],
      report.buckets.map((b) => [b.key, b.name, b.exists ? 'yes' : 'MISSING', b.versioning ?? '']),
    ),
  );
  lines.push('');
  lines.push(`old user-storage items: ${report.oldUserStorageItems ?? 'table missing'}`);
  lines.push(`basic-ops stack ${report.basicOpsStack.name}: ${report.basicOpsStack.exists ? report.basicOpsStack.status : 'absent'}`);
  lines.push('');
  if (report.ready) {
    lines.push('READY: the consolidation bucket and the user-data-storage table exist.');
  } else {
    lines.push('NOT READY: missing prerequisites:');
    for (const m of report.missingPrerequisites) lines.push(`  - ${m.kind} ${m.resource} (${m.name}): create it with: ${m.remedy}`);
  }
  for (const a of report.advice) lines.push(`  * ${a}`);
  return lines.join('\n');
}
