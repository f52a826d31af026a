/**
 * Explicit backoff for SSM throttling, on top of the SDK's adaptive retries: PutParameter
 * has a low default rate, and TooManyUpdates is raised per parameter when updates to one
 * name come too fast. Both can outlast the SDK's attempts on a busy account.
 */
const THROTTLING = new Set(['ThrottlingException', 'TooManyUpdates', 'TooManyRequestsException', 'Throttling']);

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 250, maxDelayMs: 8000 };

export function isThrottling(error: unknown): boolean {
  return error instanceof Error && THROTTLING.has(error.name);
}

export async function withThrottleRetry<T>(call: () => Promise<T>, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error) || attempt >= policy.attempts) throw error;
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
      // Full jitter: concurrent workers that were throttled together do not retry together.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
