/** Human-readable output of the ssm commands. */
import type { DeleteParametersResult, WriteCounters, WriteParametersResult } from '../../activities/ssm';
import type { ParameterDiff, ParameterPlan, SkippedParameter, SsmReference, UnresolvedReference } from '../../src/ssm';

function where(entry: { file: string; line?: number }): string {
  return entry.line !== undefined ? `${entry.file}:${entry.line}` : entry.file;
}

function counters(c: WriteCounters, dryRun: boolean): string {
  const verb = (word: string) => (dryRun ? `would be ${word}` : word);
  return `${verb('created')} ${c.created}, ${verb('updated')} ${c.updated}, unchanged ${c.unchanged}, skipped ${c.skipped}, failed ${c.failed}`;
}

export function formatSkipped(skipped: SkippedParameter[]): string[] {
  return skipped.map((s) => `  ${s.severity === 'error' ? 'ERROR' : 'skip '} ${where(s)} ${s.name ?? s.service}: ${s.reason}`);
}

/** Services whose name came from the lenient path, and why the strict parse refused them. */
export function formatPlanNotes(plan: ParameterPlan): string {
  const notes = plan.services
    .filter((s) => s.nameSource === 'lenient' && s.service)
    .map((s) => `note: ${s.file}: strict YAML parse failed (${s.yamlError}); service name "${s.service}" read from its service: line`);
  for (const s of plan.services) if (s.skippedReason) notes.push(`skipped service: ${s.file}: ${s.skippedReason}`);
  return notes.join('\n');
}

export function formatPopulate(plan: ParameterPlan, result: WriteParametersResult, context: { repo: string; region?: string }): string {
  const lines: string[] = [];
  lines.push(
    `Parameter Store ${result.dryRun ? 'populate (DRY RUN: nothing is written)' : 'populate'}: stage ${plan.stage}, dep name ${plan.depName}${context.region ? `, region ${context.region}` : ''}`,
  );
  lines.push(`Repository: ${context.repo} (service files below are relative to it)`);
  lines.push(
    `Services (${plan.services.length}): ${plan.services.map((s) => `${s.folder} -> ${s.service ?? '?'}${s.skippedReason ? ' (skipped: template)' : ''}`).join(', ')}`,
  );
  const notes = formatPlanNotes(plan);
  if (notes) lines.push(notes);
  lines.push('');
  for (const outcome of result.outcomes) {
    if (outcome.action === 'created') lines.push(`${result.dryRun ? 'would create' : 'created'} ${outcome.name} = ${outcome.value}`);
    else if (outcome.action === 'updated')
      lines.push(`${result.dryRun ? 'would update' : 'updated'} ${outcome.name} = ${outcome.value} (was: ${outcome.previous ?? ''})`);
  }
  if (result.skipped.length > 0) {
    lines.push('', 'Skipped (not written):', ...formatSkipped(result.skipped));
  }
  if (result.failures.length > 0) {
    lines.push('', 'Failed:', ...result.failures.map((f) => `  ${f.name}: ${f.reason}`));
  }
  lines.push('', 'Summary:');
  const width = Math.max(5, ...result.services.map((s) => s.service.length));
  for (const s of result.services) lines.push(`  ${s.service.padEnd(width)}  ${counters(s, result.dryRun)}`);
  lines.push(`  ${'Total'.padEnd(width)}  ${counters(result.total, result.dryRun)}`);
  const errors = plan.skipped.filter((s) => s.severity === 'error').length;
  if (result.total.failed > 0 || errors > 0) {
    lines.push('', `FAILED: ${result.total.failed} parameter write(s) failed, ${errors} input error(s)`);
  } else {
    lines.push('', result.dryRun ? 'OK (dry run)' : 'OK');
  }
  return lines.join('\n');
}

export interface VerifyReport {
  /** Distinct parameter names checked. */
  checked: number;
  missing: SsmReference[];
  missingOptional: SsmReference[];
  unresolved: UnresolvedReference[];
  /** Template services whose references were not checked. */
  skippedServices: Array<{ file: string; reason: string }>;
}

export function formatVerify(report: VerifyReport): string {
  const lines = [`Checked ${report.checked} parameter(s) referenced through \${ssm:/amplify/...}`];
  for (const r of report.missing) lines.push(`MISSING ${r.name} (referenced at ${where(r)})`);
  for (const r of report.missingOptional) lines.push(`missing, optional (has a default) ${r.name} (referenced at ${where(r)})`);
  for (const r of report.unresolved) lines.push(`note: ${where(r)}: ${r.text} not checked: ${r.reason}`);
  for (const s of report.skippedServices) lines.push(`skipped service: ${s.file}: ${s.reason}`);
  lines.push(report.missing.length > 0 ? `FAILED: ${report.missing.length} required parameter reference(s) missing` : 'OK: every required parameter exists');
  return lines.join('\n');
}

export function formatDiff(diff: ParameterDiff, prune: { prune: boolean; approved: boolean; result?: DeleteParametersResult }): string {
  const lines: string[] = [];
  for (const c of diff.create) lines.push(`+ ${c.parameter.name} = ${c.parameter.value}`);
  for (const c of diff.update) lines.push(`~ ${c.parameter.name} = ${c.parameter.value} (was: ${c.previous ?? ''})`);
  for (const p of diff.stale) lines.push(`- ${p.name} = ${p.value} (stale: no file defines it)`);
  lines.push(`${diff.create.length} to create, ${diff.update.length} to update, ${diff.unchanged.length} unchanged, ${diff.stale.length} stale`);
  if (diff.stale.length > 0) {
    if (!prune.prune) lines.push('Stale parameters are listed only; pass --prune --yes to delete them.');
    else if (!prune.approved) lines.push(`--prune needs --yes: ${diff.stale.length} stale parameter(s) would be deleted; nothing was deleted.`);
  }
  if (prune.result) {
    lines.push(`Deleted ${prune.result.deleted.length} stale parameter(s)${prune.result.notFound.length ? `, ${prune.result.notFound.length} already gone` : ''}.`);
    for (const f of prune.result.failed) lines.push(`FAILED to delete ${f.name}: ${f.reason}`);
  }
  return lines.join('\n');
}
