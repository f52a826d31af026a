/**
 * Group commit for one activity attempt's ledger (issue 12): the steps of a coarse activity
 * (a user's tables, its S3 sources) run concurrently, and each page of each step records a
 * chunk before it writes. Entries recorded while a chunk is being put wait and go out together
 * in the next one, so concurrent steps share PutObjects instead of each paying its own.
 *
 * Still write-ahead: `record` resolves only once the chunk holding its entries is durable, and
 * a failed put fails every caller whose entries it held (each retries or fails its write).
 *
 * With nothing in flight, a chunk waits `lingerMs` before it starts, so the steps that reach
 * their first write at about the same moment (a user's tables, queried side by side) share it
 * instead of the first going out alone: a few milliseconds against a PutObject's tens.
 */
import type { LedgerEntry, LedgerSink } from '../../src/ledger/types';

interface Batch {
  entries: LedgerEntry[];
  done: Promise<void>;
}

/** How long a chunk with nothing ahead of it waits for company (see above). */
export const DEFAULT_LINGER_MS = 10;

export function groupCommit(inner: LedgerSink, lingerMs = DEFAULT_LINGER_MS): LedgerSink {
  let inFlight: Promise<void> | undefined;
  let next: Batch | undefined;

  function schedule(): Batch {
    const entries: LedgerEntry[] = [];
    // Starts once the put in flight (if any) has settled, with whatever accumulated by then.
    const start = inFlight ? inFlight.catch(() => undefined) : lingerMs > 0 ? new Promise<void>((resolve) => setTimeout(resolve, lingerMs)) : Promise.resolve();
    const done = start.then(async () => {
      next = undefined;
      const flight = inner.record(entries);
      inFlight = flight;
      try {
        await flight;
      } finally {
        if (inFlight === flight) inFlight = undefined;
      }
    });
    return { entries, done };
  }

  return {
    record(entries: readonly LedgerEntry[]): Promise<void> {
      if (entries.length === 0) return Promise.resolve();
      next ??= schedule();
      next.entries.push(...entries);
      return next.done;
    },
    // A chunk waiting to start holds entries recorded after any mark taken now: the inner
    // sink's mark (chunks started) is the right one.
    ...(inner.mark ? { mark: () => inner.mark!() } : {}),
    ...(inner.earlierAttempts ? { earlierAttempts: (mark: string | undefined) => inner.earlierAttempts!(mark) } : {}),
  };
}
