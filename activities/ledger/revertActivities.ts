/**
 * The revert's activities: the plan (every step judged, nothing written) and the revert
 * itself, both walking the run's undo steps (last write first) in pages, with the index of
 * the next page and the totals so far as the heartbeated checkpoint, so a retried attempt
 * (a killed worker) resumes at the page it was in. Redoing a page is safe: a step already
 * undone is judged "already" the second time.
 */
import { Context } from '@temporalio/activity';
import type { AwsClients } from '../aws/clients';
import type { Deployment } from '../../src/deployment/catalogue';
import { effects, revertSteps, stepWhere, type UndoEntry } from '../../src/ledger/plan';
import { emptyRevertCounts, type RevertCounts, type RevertProblem, type RevertTotals } from '../../workflows/revertTypes';
import type { OnConflict } from '../../workflows/types';
import { mapWithConcurrency } from '../concurrency';
import { readLedger } from './s3Ledger';
import { describeStep, undoStep, type UndoOutcome } from './undo';

const MAX_PROBLEMS = 200;
const PAGE = 25;
const CONCURRENCY = 8;

interface Input {
  deployment: Deployment;
  runId: string;
  onConflict: OnConflict;
}

interface Checkpoint {
  next: number;
  totals: RevertTotals;
}

export interface RevertActivities {
  /** What the ledger holds: steps, superseded entries, and whether the run's cleanup deleted anything. */
  inspectLedger(input: { deployment: Deployment; runId: string }): Promise<{ entries: number; steps: number; superseded: number; cleanupSources: string[] }>;
  planRevert(input: Input): Promise<RevertTotals>;
  applyRevert(input: Input): Promise<RevertTotals>;
}

/** Consecutive steps touching no slot twice, so a page's steps can run concurrently and chains stay ordered. */
export function pages(steps: readonly UndoEntry[], size = PAGE): UndoEntry[][] {
  const out: UndoEntry[][] = [];
  let page: UndoEntry[] = [];
  let slots = new Set<string>();
  for (const step of steps) {
    const touched = effects(step).map((e) => e.slot);
    if (page.length >= size || touched.some((s) => slots.has(s))) {
      out.push(page);
      page = [];
      slots = new Set();
    }
    page.push(step);
    for (const s of touched) slots.add(s);
  }
  if (page.length > 0) out.push(page);
  return out;
}

const COUNTER: Record<UndoOutcome, keyof RevertCounts> = { undone: 'undone', already: 'already', conflict: 'conflicts', overwritten: 'overwritten', refused: 'refused' };

function count(totals: RevertTotals, step: UndoEntry, outcome: UndoOutcome): void {
  const where = stepWhere(step);
  const counts = (totals.byWhere[where] ??= emptyRevertCounts());
  counts[COUNTER[outcome]] += 1;
  const problem: RevertProblem | undefined =
    outcome === 'conflict'
      ? { kind: 'conflict', where, what: describeStep(step), reason: 'changed after the run: left as it is' }
      : outcome === 'overwritten'
        ? { kind: 'conflict', where, what: describeStep(step), reason: 'changed after the run: put back anyway (--on-conflict overwrite)' }
        : outcome === 'refused'
          ? { kind: 'refused', where, what: describeStep(step), reason: 'not in the consolidation bucket: copies are deleted only there' }
          : undefined;
  if (problem) {
    totals.problemCount += 1;
    if (totals.problems.length < MAX_PROBLEMS) totals.problems.push(problem);
  }
}

export function createRevertActivities(clients: AwsClients): RevertActivities {
  async function walk(input: Input, dryRun: boolean): Promise<RevertTotals> {
    const ctx = Context.current();
    const location = { bucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, runId: input.runId };
    const { steps, superseded } = revertSteps(await readLedger(clients, location));
    const resumed = ctx.info.heartbeatDetails as Checkpoint | undefined;
    const checkpoint: Checkpoint = resumed ?? { next: 0, totals: { byWhere: {}, steps: steps.length, superseded, problems: [], problemCount: 0 } };
    const all = pages(steps);
    const options = { dryRun, onConflict: input.onConflict, consolidationBucket: location.bucket };
    for (let i = checkpoint.next; i < all.length; i++) {
      if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason ?? new Error('cancelled');
      const outcomes = await mapWithConcurrency(all[i], CONCURRENCY, (step) => undoStep(clients, step, options), ctx.cancellationSignal);
      all[i].forEach((step, j) => count(checkpoint.totals, step, outcomes[j]));
      checkpoint.next = i + 1;
      ctx.heartbeat(structuredClone(checkpoint));
    }
    return checkpoint.totals;
  }

  return {
    async inspectLedger(input) {
      const entries = await readLedger(clients, { bucket: input.deployment.buckets.S3_CONSOLIDATION_BUCKET_NAME, runId: input.runId });
      const { steps, superseded, cleanupSources } = revertSteps(entries);
      return { entries: entries.length, steps: steps.length, superseded, cleanupSources };
    },
    planRevert: (input) => walk(input, true),
    applyRevert: (input) => walk(input, false),
  };
}
