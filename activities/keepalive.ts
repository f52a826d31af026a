/**
 * Liveness for every activity: while an activity runs, a heartbeat goes out at least every
 * KEEPALIVE_MS, re-sending the activity's own last details (or the ones it resumed from, so a
 * keepalive never erases a resume point). The workflows can then use a short heartbeat
 * timeout for everything (a dead worker is noticed in seconds, not minutes) while single
 * long requests (a 5 GB CopyObject, a slow control-plane call) need no progress callback.
 * A request that hangs is ended by the SDK's own request timeout (activities/aws/clients.ts),
 * so keepalives never hide a stuck call for long.
 */
import { Context } from '@temporalio/activity';

export const KEEPALIVE_MS = 3_000;

type Heartbeat = (details?: unknown) => void;

export function withKeepalive<A extends unknown[], R>(fn: (...args: A) => Promise<R>, everyMs = KEEPALIVE_MS): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    const ctx = Context.current();
    const send: Heartbeat = ctx.heartbeat;
    let last: unknown = ctx.info.heartbeatDetails;
    let lastAt = Date.now();
    // The context's heartbeat is an instance field: recording what the activity sends is what
    // lets the keepalive repeat it. Restored when the activity ends.
    const recording: Heartbeat = (details) => {
      last = details;
      lastAt = Date.now();
      send(details);
    };
    Object.assign(ctx, { heartbeat: recording });
    const timer = setInterval(() => {
      if (Date.now() - lastAt < everyMs) return;
      lastAt = Date.now();
      send(last);
    }, everyMs);
    try {
      return await fn(...args);
    } finally {
      clearInterval(timer);
      Object.assign(ctx, { heartbeat: send });
    }
  };
}

/** Every function of an activity object, wrapped. */
export function keptAlive<T extends object>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [name, typeof fn === 'function' ? withKeepalive(fn as (...args: unknown[]) => Promise<unknown>) : fn]),
  ) as T;
}
