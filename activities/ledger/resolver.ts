/**
 * Which ledger an activity writes to. Activities of the migration do not carry the run id in
 * their inputs (changing them would change every history), so the run id comes from the
 * migration workflow's memo (`runId`, set by `start`): the activity's workflow id starts with
 * the migration's own id (`migration-D-S`, `migration-D-S/run/u3`, `…/run/scan/T`), and that
 * workflow is described once per workflow execution and worker process.
 *
 * No ledger (undefined) for a dry run, outside a real worker (a mock activity environment has
 * no client), and for a workflow started without a run id in its memo (tests' direct starts).
 */
import { Context, log } from '@temporalio/activity';
import type { AwsClients } from '../aws/clients';
import type { Deployment } from '../../src/deployment/catalogue';
import type { LedgerSink } from '../../src/ledger/types';
import { s3LedgerSink, type LedgerCost } from './s3Ledger';

export type LedgerResolver = (input: { deployment: Deployment; dryRun: boolean }) => Promise<LedgerSink | undefined>;

const runIds = new Map<string, Promise<string | undefined>>();

async function memoRunId(rootWorkflowId: string): Promise<string | undefined> {
  const description = await Context.current().client.workflow.getHandle(rootWorkflowId).describe();
  const runId = description.memo?.runId;
  return typeof runId === 'string' && runId.length > 0 ? runId : undefined;
}

export function temporalLedgerResolver(clients: AwsClients, cost?: LedgerCost): LedgerResolver {
  return async ({ deployment, dryRun }) => {
    if (dryRun) return undefined;
    let ctx: Context;
    try {
      ctx = Context.current();
      void ctx.client;
    } catch {
      return undefined;
    }
    const execution = ctx.info.workflowExecution;
    // Standalone activities have no workflow, hence no migration run to record for.
    if (!execution) return undefined;
    const root = execution.workflowId.split('/')[0];
    const cacheKey = `${execution.workflowId}\u0000${execution.runId}`;
    let pending = runIds.get(cacheKey);
    if (!pending) {
      pending = memoRunId(root);
      runIds.set(cacheKey, pending);
      // A failed describe is retried by the next attempt, not cached.
      pending.catch(() => runIds.delete(cacheKey));
      if (runIds.size > 10_000) runIds.delete(runIds.keys().next().value!);
    }
    const runId = await pending;
    if (!runId) {
      log.warn('no ledger: the migration workflow has no runId in its memo', { workflowId: root });
      return undefined;
    }
    const tag = `${ctx.info.activityType}-${execution.workflowId.slice(root.length + 1) || 'main'}-a${ctx.info.attempt}`;
    return s3LedgerSink(clients, { bucket: deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, runId }, tag, cost);
  };
}
