/**
 * `amplify-migrate revert [action]`: undo a migration run from its ledger (issue 12).
 *   revert --dep-name D --stage S [--run RUN] [--on-conflict skip|overwrite|fail] [--dry-run] [--auto-approve] [--wait]
 *   revert approve|reject|pause|resume|status --dep-name D --stage S
 * The run defaults to the latest migration of the deployment (its memo's run id). A run whose
 * cleanup phase ran is refused before anything starts: its legacy objects are gone.
 */
import type { CommandModule } from 'yargs';
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { migrationWorkflowId } from '../../workflows/migration';
import { reportQuery } from '../../workflows/messages';
import { approveRevertUpdate, pauseRevertUpdate, rejectRevertUpdate, resumeRevertUpdate, revertStatusQuery } from '../../workflows/revertMessages';
import { revertWorkflowId, type RevertInput, type RevertReport, type RevertTotals } from '../../workflows/revertTypes';
import type { MigrationReport } from '../../workflows/types';
import { deploymentFromArgs, withDeploymentArgs, type DeploymentArgs } from '../deploymentArgs';
import { CliError, EXIT } from '../exitCodes';
import { parseOnConflict } from '../migrationInput';
import { clientTaskQueue, connectClient } from '../temporal';

type Action = 'start' | 'approve' | 'reject' | 'pause' | 'resume' | 'status';

interface RevertArgs extends DeploymentArgs {
  action: Action;
  run?: string;
  'on-conflict'?: string;
  'dry-run'?: boolean;
  'auto-approve'?: boolean;
  wait?: boolean;
  json?: boolean;
  reason?: string;
}

/** Exit codes tell the truth: conflicts left → 5, rejected → 4, refused → 3 (the run is not revertible as it stands). */
export function revertExitCode(report: RevertReport): number {
  switch (report.outcome) {
    case 'reverted':
      return EXIT.ok;
    case 'reverted-with-conflicts':
      return EXIT.conflictsLeft;
    case 'rejected':
      return EXIT.rejected;
    case 'refused':
      return EXIT.prerequisitesMissing;
    case 'dry-run':
      return (report.plan?.problemCount ?? 0) > 0 ? EXIT.conflictsLeft : EXIT.ok;
    default:
      return EXIT.failed;
  }
}

export function renderRevertTotals(title: string, totals: RevertTotals | undefined): string {
  if (!totals) return `${title}: none`;
  const lines = [`${title}: ${totals.steps} steps (${totals.superseded} ledger entries superseded)`];
  for (const [where, c] of Object.entries(totals.byWhere).sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`  ${where}: ${c.undone} undone, ${c.already} already as before, ${c.conflicts} conflicts, ${c.overwritten} overwritten, ${c.refused} refused`);
  }
  for (const p of totals.problems.slice(0, 20)) lines.push(`  ${p.kind}: ${p.what}: ${p.reason}`);
  if (totals.problemCount > 20) lines.push(`  … ${totals.problemCount - 20} more (--json lists up to 200)`);
  return lines.join('\n');
}

export function renderRevertReport(report: RevertReport): string {
  const head = `revert of run ${report.runId} (${report.deployment.depName}/${report.deployment.stage}): ${report.outcome}`;
  return [head, ...(report.refusal ? [report.refusal] : []), renderRevertTotals('plan', report.plan), ...(report.totals ? [renderRevertTotals('reverted', report.totals)] : [])].join('\n');
}

/**
 * The run to revert and whether it may be: the migration's memo names its run id; its report
 * (the query, or its result once closed) says whether the cleanup phase ran.
 */
export async function resolveRun(client: Client, depName: string, stage: string, requested: string | undefined): Promise<string> {
  const handle = client.workflow.getHandle(migrationWorkflowId(depName, stage));
  let description;
  try {
    description = await handle.describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      if (requested) return requested;
      throw new CliError(`no migration of ${depName}/${stage} found: name the run with --run`, EXIT.badInput);
    }
    throw err;
  }
  const latest = typeof description.memo?.runId === 'string' ? description.memo.runId : undefined;
  const runId = requested ?? latest;
  if (!runId) throw new CliError(`the latest migration of ${depName}/${stage} has no run id in its memo: name the run with --run`, EXIT.badInput);
  if (runId === latest) {
    if (description.status.name === 'RUNNING') {
      throw new CliError(`the migration of ${depName}/${stage} (run ${runId}) is still running: cancel it or let it finish first`, EXIT.badInput);
    }
    const report = await lastReport(handle);
    if (report?.phaseTimings.some((t) => t.phase === 'cleanup')) {
      throw new CliError(`run ${runId} ran its cleanup phase: legacy objects were deleted, so reverting it is refused`, EXIT.prerequisitesMissing);
    }
  }
  return runId;
}

async function lastReport(handle: WorkflowHandle): Promise<MigrationReport | undefined> {
  try {
    return (await handle.result()) as MigrationReport;
  } catch {
    // Failed or cancelled: the query still answers on a closed workflow with a worker running.
    return handle.query(reportQuery).catch(() => undefined);
  }
}

async function follow(handle: WorkflowHandle): Promise<RevertReport> {
  try {
    return (await handle.result()) as RevertReport;
  } catch (err) {
    if (err instanceof WorkflowFailedError) throw new CliError(`revert failed: ${err.cause?.message ?? err.message}`, EXIT.failed);
    throw err;
  }
}

export const revertCommand: CommandModule<object, RevertArgs> = {
  command: 'revert [action]',
  describe: 'Undo a migration run from its ledger: plan, approval, conditional undo (approve|reject|pause|resume|status answer a running revert)',
  builder: (y) =>
    withDeploymentArgs(y)
      .positional('action', { type: 'string', choices: ['start', 'approve', 'reject', 'pause', 'resume', 'status'], default: 'start' })
      .option('run', { type: 'string', describe: 'the run id to revert (default: the latest migration of the deployment)' })
      .option('on-conflict', { type: 'string', choices: ['skip', 'overwrite', 'fail'], describe: 'an item, object or parameter changed after the run (default skip: leave it, report it)' })
      .option('dry-run', { type: 'boolean', describe: 'plan only: counts per table, bucket and parameter; write nothing' })
      .option('auto-approve', { type: 'boolean' })
      .option('wait', { type: 'boolean', describe: 'follow the revert until it ends; exit code from its report' })
      .option('json', { type: 'boolean' })
      .option('reason', { type: 'string', default: 'rejected by the operator' }) as never,
  handler: async (args) => {
    const deployment = deploymentFromArgs(args);
    const onConflict = parseOnConflict(args['on-conflict']);
    const { client, close } = await connectClient();
    try {
      const handle = client.workflow.getHandle(revertWorkflowId(deployment.depName, deployment.stage));
      const answer = async (work: () => Promise<{ phase: string }>, what: string) => {
        try {
          console.log(`${what}; phase ${(await work()).phase}`);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw new CliError(`no revert of ${deployment.depName}/${deployment.stage}`, EXIT.failed);
          if (err instanceof WorkflowUpdateFailedError) throw new CliError(err.cause?.message ?? err.message, EXIT.badInput);
          throw err;
        }
      };
      switch (args.action) {
        case 'approve':
          return await answer(() => handle.executeUpdate(approveRevertUpdate), 'approved');
        case 'reject':
          return await answer(() => handle.executeUpdate(rejectRevertUpdate, { args: [args.reason ?? ''] }), 'rejected');
        case 'pause':
          return await answer(() => handle.executeUpdate(pauseRevertUpdate), 'paused');
        case 'resume':
          return await answer(() => handle.executeUpdate(resumeRevertUpdate), 'resumed');
        case 'status':
          return await answer(async () => {
            const s = await handle.query(revertStatusQuery);
            console.log(args.json ? JSON.stringify(s, null, 2) : renderRevertTotals(`run ${s.runId}, phase ${s.phase}${s.awaitingApproval ? ' (awaiting approval)' : ''}`, s.totals ?? s.plan));
            return s;
          }, 'status');
        default:
          break;
      }
      const runId = await resolveRun(client, deployment.depName, deployment.stage, args.run);
      const input: RevertInput = { runId, deployment, options: { dryRun: Boolean(args['dry-run']), onConflict, autoApprove: Boolean(args['auto-approve']) } };
      let started: WorkflowHandle;
      try {
        started = await client.workflow.start('revertWorkflow', {
          taskQueue: clientTaskQueue(),
          workflowId: revertWorkflowId(deployment.depName, deployment.stage),
          args: [input],
          memo: { runId },
          staticSummary: `${input.options.dryRun ? 'DRY RUN ' : ''}revert of run ${runId} of ${deployment.depName}/${deployment.stage}`,
        });
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) throw new CliError(`a revert of ${deployment.depName}/${deployment.stage} is already running`, EXIT.failed);
        throw err;
      }
      console.log(`started ${started.workflowId}: revert of run ${runId}${input.options.dryRun ? ' (dry run)' : ''}`);
      if (!args.wait) return;
      const report = await follow(started);
      console.log(args.json ? JSON.stringify(report, null, 2) : renderRevertReport(report));
      process.exitCode = revertExitCode(report);
    } finally {
      await close();
    }
  },
};
