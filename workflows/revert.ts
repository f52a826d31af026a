/**
 * The revert of one migration run from its ledger (issue 12), as its own workflow type:
 *
 *   refuse if the run's cleanup deleted legacy objects → plan (every undo step judged against
 *   the current state, nothing written) → approval gate → revert (last write first, each
 *   step conditional on the state judged) → report.
 *
 * Pause holds at the safe points between phases (the revert is one resumable activity:
 * its pages are its checkpoints). Workflow id `revert-{dep}-{stage}`: one revert of a
 * deployment at a time.
 */
import { condition, proxyActivities, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import { compactDeployment } from '../src/deployment/catalogue';
import type { OnTheWire } from '../activities/contract';
import type { RevertActivities } from '../activities/ledger/revertActivities';
import { HEARTBEAT_TIMEOUT } from './activityProxies';
import { approveRevertUpdate, pauseRevertUpdate, rejectRevertUpdate, resumeRevertUpdate, revertReportQuery, revertStatusQuery } from './revertMessages';
import type { RevertInput, RevertPhase, RevertReport, RevertStatus, RevertTotals } from './revertTypes';

const quick = proxyActivities<OnTheWire<RevertActivities>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 10, initialInterval: '1 second', maximumInterval: '10 seconds', nonRetryableErrorTypes: ['LedgerFormatError'] },
});

const paging = proxyActivities<OnTheWire<RevertActivities>>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: HEARTBEAT_TIMEOUT,
  retry: { maximumAttempts: 20, initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['LedgerFormatError', 'RevertConflictError', 'FatalAwsError'] },
});

export async function revertWorkflow(input: RevertInput): Promise<RevertReport> {
  const { deployment, options, runId } = input;
  const wire = compactDeployment(deployment);
  let phase: RevertPhase = 'plan';
  let paused = false;
  let awaitingApproval = false;
  let approved = false;
  let rejection: string | undefined;
  let refusal: string | undefined;
  let plan: RevertTotals | undefined;
  let totals: RevertTotals | undefined;

  const status = (): RevertStatus => ({ workflowId: workflowInfo().workflowId, runId, phase, paused, awaitingApproval, dryRun: options.dryRun, plan, totals });
  const report = (): RevertReport => ({
    runId,
    deployment: { depName: deployment.depName, stage: deployment.stage },
    dryRun: options.dryRun,
    outcome:
      phase === 'refused'
        ? 'refused'
        : phase === 'rejected'
          ? 'rejected'
          : options.dryRun
            ? 'dry-run'
            : (totals?.problemCount ?? 0) > 0
              ? 'reverted-with-conflicts'
              : 'reverted',
    ...(refusal ? { refusal } : {}),
    plan,
    totals,
  });

  setHandler(revertStatusQuery, status);
  setHandler(revertReportQuery, () => (phase === 'done' || phase === 'rejected' || phase === 'refused' ? report() : undefined));
  const assertAwaiting = () => {
    if (!awaitingApproval) throw new Error(`the revert is not awaiting approval (phase ${phase})`);
  };
  setHandler(
    approveRevertUpdate,
    () => {
      approved = true;
      return status();
    },
    { validator: assertAwaiting },
  );
  setHandler(
    rejectRevertUpdate,
    (reason) => {
      rejection = reason || 'rejected by the operator';
      return status();
    },
    { validator: (_reason: string) => assertAwaiting() },
  );
  setHandler(pauseRevertUpdate, () => {
    paused = true;
    return status();
  });
  setHandler(resumeRevertUpdate, () => {
    paused = false;
    return status();
  });
  const unpaused = async () => {
    if (!paused) return;
    setCurrentDetails(`paused in phase ${phase}: resume with "amplify-migrate revert resume"`);
    await condition(() => !paused);
  };

  setCurrentDetails(`revert of run ${runId}: reading the ledger`);
  const ledger = await quick.inspectLedger({ deployment: wire, runId });
  if (ledger.cleanupSources.length > 0) {
    phase = 'refused';
    refusal = `run ${runId} ran its cleanup phase (${ledger.cleanupSources.join(', ')}): legacy objects were deleted, so the migrated data is the only copy and reverting it is refused`;
    return report();
  }
  await unpaused();
  plan = await paging.planRevert({ deployment: wire, runId, onConflict: options.onConflict });
  if (options.dryRun) {
    phase = 'done';
    return report();
  }
  await unpaused();
  if (!options.autoApprove) {
    phase = 'approval-gate';
    awaitingApproval = true;
    setCurrentDetails(`awaiting approval: ${plan.steps} steps to undo\napprove: amplify-migrate revert approve; reject: amplify-migrate revert reject`);
    await condition(() => approved || rejection !== undefined);
    awaitingApproval = false;
    if (!approved) {
      phase = 'rejected';
      setCurrentDetails(`rejected: ${rejection}`);
      return report();
    }
  }
  await unpaused();
  phase = 'revert';
  setCurrentDetails(`reverting run ${runId}`);
  totals = await paging.applyRevert({ deployment: wire, runId, onConflict: options.onConflict });
  phase = 'done';
  setCurrentDetails(`done: ${report().outcome}`);
  return report();
}
