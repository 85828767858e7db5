/**
 * Runs `fn` over the items with at most `limit` in flight: enough to keep the database busy across a
 * page of accounts, few enough that a task over 10,000 accounts never floods its connection pool.
 * After a failure no further item starts, and the failure is thrown only once the items in flight
 * have finished: nothing keeps writing after the caller has moved on (a shutdown closing the database).
 */
export async function eachWithLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;
}

/** Repeats a page of deletions until one removes nothing; resolves the total. */
export async function drain(page: () => Promise<number>, progress: () => Promise<void>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await page();
    if (removed === 0) return total;
    total += removed;
    await progress();
  }
}
