/**
 * Bounded parallelism for every activity: at most `limit` calls of `fn` in flight, results in
 * input order. After the first failure (or an abort of `abortSignal`) no new item starts; the
 * call rejects with that first error once the in-flight calls have settled, so no work is
 * left running behind a failed activity.
 */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
  abortSignal?: AbortSignal,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (!failure && next < items.length) {
      if (abortSignal?.aborted) {
        failure ??= { error: abortSignal.reason ?? new Error('aborted') };
        return;
      }
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(limit) || 1, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
  return results;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
