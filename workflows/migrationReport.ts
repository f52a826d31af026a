/**
 * The migration's report, assembled from its state. Pure (workflow code that reads no
 * clock and issues no command), so the report query, the report activity's input and the
 * workflow's result agree, and a unit test can check the assembly.
 */
import type { MigrationInput, MigrationReport, MigrationState } from './types';

export function migrationReport(input: Pick<MigrationInput, 'runId' | 'deployment' | 'options'>, state: MigrationState): MigrationReport {
  const { options } = input;
  return {
    runId: input.runId,
    deployment: { depName: input.deployment.depName, stage: input.deployment.stage },
    dryRun: options.dryRun,
    outcome: outcome(options.dryRun, state),
    preflight: state.preflight,
    ssm: state.ssmResult ?? state.ssmPlan,
    export: state.export,
    backups: state.backups,
    backupsSkipped: state.backupsSkipped,
    plan: state.plan,
    // A dry run's report is its plan.
    totals: options.dryRun ? (state.plan ?? state.totals) : state.totals,
    users: { total: state.users.total, done: state.users.done, failed: state.users.failed, failedUsers: state.failedUsers },
    verification: state.verification,
    phaseTimings: state.phaseTimings,
    rejected: state.rejected,
    continuedAsNew: state.continuedAsNew,
  };
}

function outcome(dryRun: boolean, state: MigrationState): MigrationReport['outcome'] {
  if (state.rejected) return 'rejected';
  if (dryRun) return 'dry-run';
  // Conflicts left in place are the operator's to resolve (exit 5); a failure or an old id left is a failed run.
  if (state.totals.failureCount > 0 || (state.verification?.problems.length ?? 0) > 0) return 'failed';
  return state.totals.conflictCount > 0 ? 'succeeded-with-conflicts' : 'succeeded';
}
