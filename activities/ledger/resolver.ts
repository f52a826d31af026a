/**
 * Which ledger an activity writes to. Activities of the migration do not carry the run id in
 * their inputs (changing them would change every history), so the run id comes from the
 * migration workflow's memo (`runId`, set by `start`): the activity's workflow id starts with
 * the migration's own id (`migration-D-S`, `migration-D-S/run/u3`, `…/run/scan/T`), and that
 * workflow is described once per workflow execution and worker process.
 *
 * No ledger (undefined) for a dry run, outside a real worker (a mock activity environment has
 * no client), and for a workflow started without a run id in its memo (tests' direct starts).
 *
 * The ledger lives in the consolidation bucket, named by the activity's deployment. An
 * activity whose input carries no deployment (writeSsmParameters: its input predates the
 * ledger, and the workflow's command sequence must not change) finds the bucket in the memo
 * too: `ledgerBucket`, which `start` sets, or else the bucket of the id map's claim check
 * (`idMapClaimCheck`, s3://bucket/key), which lives in the consolidation bucket as well.
 */
import { Context, log } from '@temporalio/activity';
import type { AwsClients } from '../aws/clients';
import type { Deployment } from '../../src/deployment/catalogue';
import type { LedgerSink } from '../../src/ledger/types';
import { groupCommit } from './groupCommit';
import { s3LedgerSink, type LedgerCost, type LedgerWriter } from './s3Ledger';

/** Where to record: the deployment's consolidation bucket, or `bucket` when the input has no deployment. */
export type LedgerResolver = (input: { deployment?: Deployment; bucket?: string; dryRun: boolean }) => Promise<LedgerSink | undefined>;

interface MemoLedger {
  runId?: string;
  bucket?: string;
}

/**
 * What each workflow execution's root memo says, as plain values. Only the describes in flight
 * are promises: a promise made inside an activity keeps that activity's async context (its
 * Context, input, abort controller and logger) alive for as long as the promise is, so a cache
 * of settled promises held one finished activity per user child (issue 9: the worker's heap
 * grew by about 10 KiB a user through the approved pass).
 */
const memos = new Map<string, MemoLedger>();
const describing = new Map<string, Promise<MemoLedger>>();
const MAX_MEMOS = 10_000;

/** The bucket of an `s3://bucket/key` claim check. */
export function claimCheckBucket(location: unknown): string | undefined {
  if (typeof location !== 'string') return undefined;
  const match = /^s3:\/\/([^/]+)\//.exec(location);
  return match ? match[1] : undefined;
}

async function memoLedger(rootWorkflowId: string): Promise<MemoLedger> {
  const { memo } = await Context.current().client.workflow.getHandle(rootWorkflowId).describe();
  const runId = memo?.runId;
  const bucket = typeof memo?.ledgerBucket === 'string' && memo.ledgerBucket.length > 0 ? memo.ledgerBucket : claimCheckBucket(memo?.idMapClaimCheck);
  return { runId: typeof runId === 'string' && runId.length > 0 ? runId : undefined, bucket };
}

export function temporalLedgerResolver(clients: AwsClients, cost?: LedgerCost): LedgerResolver {
  return async ({ deployment, bucket, dryRun }) => {
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
    let memo = memos.get(cacheKey);
    if (!memo) {
      let pending = describing.get(cacheKey);
      if (!pending) {
        // A failed describe is retried by the next attempt, not cached.
        pending = memoLedger(root).finally(() => describing.delete(cacheKey));
        describing.set(cacheKey, pending);
      }
      memo = await pending;
      memos.set(cacheKey, memo);
      if (memos.size > MAX_MEMOS) memos.delete(memos.keys().next().value!);
    }
    if (!memo.runId) {
      log.warn('no ledger: the migration workflow has no runId in its memo', { workflowId: root });
      return undefined;
    }
    const where = deployment?.buckets.S3_CONSOLIDATION_BUCKET_NAME ?? bucket ?? memo.bucket;
    if (!where) {
      log.warn('no ledger: neither the activity input nor the memo names the consolidation bucket', { workflowId: root, activity: ctx.info.activityType });
      return undefined;
    }
    // One sink per activity attempt; its concurrent steps share chunks (group commit).
    return groupCommit(s3LedgerSink(clients, { bucket: where, runId: memo.runId }, ledgerWriter(ctx.info, root), cost));
  };
}

/**
 * The writer of an activity attempt's chunks: the activity (type, workflow below the
 * migration's root, activity id: the same for every attempt) and the attempt.
 */
export function ledgerWriter(info: Context['info'], root = info.workflowExecution?.workflowId.split('/')[0] ?? ''): LedgerWriter {
  const workflow = info.workflowExecution?.workflowId.slice(root.length + 1) || 'main';
  return { activity: `${info.activityType}-${workflow}-${info.activityId}`, attempt: info.attempt, scheduledMs: info.scheduledTimestampMs };
}

/**
 * A ledger under a run id the caller chose, for activities driven outside a migration
 * workflow (the fault harness): the same sinks and chunk names as a real run's.
 */
export function fixedRunLedgerResolver(clients: AwsClients, runId: string): LedgerResolver {
  return async ({ deployment, bucket, dryRun }) => {
    const where = deployment?.buckets.S3_CONSOLIDATION_BUCKET_NAME ?? bucket;
    if (dryRun || !where) return undefined;
    return groupCommit(s3LedgerSink(clients, { bucket: where, runId }, ledgerWriter(Context.current().info)));
  };
}
