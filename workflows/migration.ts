/**
 * The migration of one deployment, as one durable workflow (workflow id from dep name +
 * stage, so two migrations of one deployment cannot run at once). Its phases, in the order
 * a run goes through them (PHASE_ORDER in ./types.ts; transitions in ./migrationPhases.ts):
 *
 *   preflight → Parameter Store (ssm-plan, ssm-gate, ssm-write; only with --ssm-repo) →
 *   export of the old user-storage table → deployment gate (and the id map stored) → backups →
 *   the plan pass: run-wide copies → USER_DATA_STORAGE steps 1+2 → per-user children
 *   (sliding window) → table scans and the references pass →
 *   approval gate →
 *   the real pass: the same four phases, writing →
 *   verification → report → optional cleanup gate → cleanup.
 *
 * The write phases run twice with the same code: once as the plan (dry run), once for real;
 * a dry run stops after the plan pass, at the report. The workflow is a state machine over
 * `state.phase`, so it can continue-as-new anywhere in the long per-user phase and pick up
 * where it stopped. This function only drives it: the state and the operator's messages are
 * in ./migrationState.ts, each phase is a function in ./migrationPhases.ts.
 */
import { CancellationScope, condition, allHandlersFinished, getExternalWorkflowHandle, isCancellation, setCurrentDetails } from '@temporalio/workflow';
import { PHASES } from './migrationPhases';
import { MigrationStateManager } from './migrationState';
import type { MigrationInput, MigrationReport } from './types';

export function migrationWorkflowId(depName: string, stage: string): string {
  return `migration-${depName}-${stage}`;
}

export async function migrationWorkflow(input: MigrationInput): Promise<MigrationReport> {
  const m = new MigrationStateManager(input);
  m.registerHandlers();
  m.tagRun();
  try {
    while (!m.isFinished()) {
      const phase = m.state.phase as keyof typeof PHASES;
      const entry = PHASES[phase];
      if (!entry) throw new Error(`unknown phase ${phase}`);
      const next = await entry.run(m);
      if (!entry.next.includes(next)) throw new Error(`phase ${phase} may not go on to ${next}`);
      m.enter(next);
      await m.unpaused();
    }
  } catch (err) {
    if (isCancellation(err)) {
      // Graceful cancellation: the children in flight were started to outlive a
      // continue-as-new, so they must be told explicitly; their activities stop at the next
      // heartbeat. Nothing half-done is left behind: every step is idempotent.
      await CancellationScope.nonCancellable(() =>
        Promise.all(m.state.users.inFlight.map((id) => getExternalWorkflowHandle(id).cancel().catch(() => undefined))),
      );
    }
    throw err;
  }

  const report = m.report();
  setCurrentDetails(`${m.state.phase}: ${report.outcome}`);
  await condition(allHandlersFinished);
  return report;
}
