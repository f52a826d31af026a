/**
 * A coarse activity made of named steps (one per table, bucket source or conversion) that
 * run concurrently inside it, with one heartbeated checkpoint: the totals of every finished
 * step and the resume cursor of every step in progress. A retried attempt skips the
 * finished steps and resumes the others from their cursors, so it never re-copies a verified
 * object or re-reads a finished table. A step whose error no retry can fix is recorded as
 * that step's failure and the others go on (as separate activities used to); any other
 * error fails the attempt, and Temporal retries it from the checkpoint.
 */
import { Context } from '@temporalio/activity';
import { addProblems, emptyTotals, mergeTotals, type Totals } from '../../src/report/counters';
import { mapWithConcurrency } from '../concurrency';
import { permanentFailure } from '../failures';

export interface StepsCheckpoint {
  done: Record<string, Totals>;
  inner: Record<string, unknown>;
}

export interface Step<Cursor> {
  name: string;
  /** Where an earlier attempt of this step stopped. */
  resume: Cursor | undefined;
  /** Records the step's progress in the activity's checkpoint (and heartbeats it). */
  progress(cursor: Cursor): void;
  abortSignal: AbortSignal;
  /** Set on a retried attempt: when the activity was first scheduled (see CopyRuntime.copiedSinceMs). */
  copiedSinceMs?: number;
  /** This attempt follows a failed or killed one (whose writes after its checkpoint are done but uncounted). */
  retried: boolean;
}

export async function runSteps<Cursor>(
  names: readonly string[],
  concurrency: number,
  run: (step: Step<Cursor>) => Promise<Totals>,
  describe: (name: string) => { where: string; user?: string },
): Promise<Totals> {
  const ctx = Context.current();
  const resumed = ctx.info.heartbeatDetails as StepsCheckpoint | undefined;
  const checkpoint: StepsCheckpoint = { done: { ...resumed?.done }, inner: { ...resumed?.inner } };
  // A copy: the SDK may encode heartbeat details after this call returns, while steps go on.
  const beat = () => ctx.heartbeat(structuredClone(checkpoint));
  const copiedSinceMs = ctx.info.attempt > 1 ? ctx.info.scheduledTimestampMs : undefined;

  await mapWithConcurrency(
    names.filter((name) => !(name in checkpoint.done)),
    concurrency,
    async (name) => {
      let totals: Totals;
      try {
        totals = await run({
          name,
          resume: checkpoint.inner[name] as Cursor | undefined,
          progress: (cursor) => {
            checkpoint.inner[name] = cursor;
            beat();
          },
          abortSignal: ctx.cancellationSignal,
          copiedSinceMs,
          retried: ctx.info.attempt > 1,
        });
      } catch (err) {
        const permanent = permanentFailure(err);
        if (!permanent || ctx.cancellationSignal.aborted) throw err;
        totals = addProblems(emptyTotals(), [{ kind: 'failure', ...describe(name), reason: permanent.message }]);
      }
      checkpoint.done[name] = totals;
      delete checkpoint.inner[name];
      beat();
    },
    ctx.cancellationSignal,
  );
  return names.map((name) => checkpoint.done[name]).reduce(mergeTotals, emptyTotals());
}
