/** The chaos run's figures as the operator reads them. */
import type { ChaosResult } from './run';

const s = (seconds: number | undefined) => (seconds === undefined ? 'none seen' : `${seconds.toFixed(1)} s`);

export function renderChaos(r: ChaosResult): string {
  const o = r.options;
  const lines = [
    `Chaos run: scenario ${o.scenario}, ${o.users} users, ${o.kills} kills, ${(o.faultRate * 100).toFixed(0)}% faults${o.temporalRestart ? ', Temporal restart' : ''}${o.writer ? ', live writer' : ''}, seed ${o.seed}`,
    `  clean run          ${r.clean.outcome} (exit ${r.clean.exitCode}) in ${r.clean.seconds.toFixed(0)} s`,
    `  chaos run          ${r.chaos.outcome} (exit ${r.chaos.exitCode}, the report's outcome says ${r.chaos.expectedExitCode}) in ${r.chaos.seconds.toFixed(0)} s; conflicts ${r.chaos.conflicts}`,
    `  requests           ${r.faults.requests} through the fault proxy`,
    `  faults injected    throttle ${r.faults.throttle}, 500 before ${r.faults.errorBefore}, 500 after the write ${r.faults.errorAfter} (total ${r.faults.throttle + r.faults.errorBefore + r.faults.errorAfter})`,
    `  worker kills       ${r.kills.length} (SIGKILL of the process group; ${r.workersStarted} workers started)`,
    `  Temporal restarts  ${r.temporalRestarts}`,
    `  retries            ${r.activityRetries} activity attempts beyond the first; ${r.reportRetries} re-read-and-reapply retries counted by the report`,
    `  end-state difference from the clean run: ${r.endStateDifference}`,
  ];
  if (r.writer) {
    const w = r.writer.writes;
    lines.push(
      `  live writer        ${Object.values(w).reduce((a, b) => a + b, 0)} writes (tags added ${w.tagAdded}, files renamed ${w.fileRenamed}, files created ${w.fileCreated}, accounts at a new key ${w.accountAtNewKey}, objects ${w.objectCreated}); ${r.writer.checked} keys checked, ${r.writer.missing.length} lost or clobbered`,
    );
  }
  if (r.secondRun) lines.push(`  second run         ${r.secondRun.outcome} (exit ${r.secondRun.exitCode}): ${r.secondRun.writes} writes, ${r.secondRun.changed} items/objects changed`);
  lines.push('  time from kill to next progress (status change) / to the first AWS request after it:');
  for (const [i, k] of r.kills.entries()) lines.push(`    kill ${String(i + 1).padStart(2)} at ${k.atSeconds.toFixed(0).padStart(4)} s: ${s(k.toProgressSeconds)} / ${s(k.toFirstRequestSeconds)}`);
  const worst = Math.max(0, ...r.kills.map((k) => k.toProgressSeconds ?? Infinity));
  if (r.kills.length > 0) lines.push(`    worst: ${s(Number.isFinite(worst) ? worst : undefined)} (target ≤ 30 s)`);
  lines.push(r.problems.length === 0 ? 'PASSED: every property held' : `FAILED:\n${r.problems.map((p) => `  - ${p}`).join('\n')}`);
  return lines.join('\n');
}
