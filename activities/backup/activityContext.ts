/**
 * The Temporal activity context when there is one. These activities are also called
 * directly by the `backup` CLI and by tests, where Context.current() throws.
 */
import { Context } from '@temporalio/activity';

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export function heartbeat(details?: unknown): void {
  currentContext()?.heartbeat(details);
}

/** Sleeps; inside an activity the sleep ends early (rejects) when the activity is cancelled. */
export async function pause(ms: number): Promise<void> {
  const ctx = currentContext();
  if (ctx) return ctx.sleep(ms);
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Passed to AWS SDK calls so a cancelled activity stops its in-flight requests. */
export function abortSignal(): AbortSignal | undefined {
  return currentContext()?.cancellationSignal;
}
