/**
 * Runs `work` over `items` with at most `concurrency` calls in flight. Stops starting new
 * items once the signal is aborted; the first error (including the abort) rejects the whole
 * run after the in-flight calls settle.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
  abortSignal?: AbortSignal,
): Promise<void> {
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
        await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  const lanes = Math.max(1, Math.min(Math.floor(concurrency) || 1, items.length));
  await Promise.all(Array.from({ length: lanes }, lane));
  if (failure) throw failure.error;
}
