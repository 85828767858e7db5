/**
 * Runs `fn` over the items with at most `limit` in flight: enough to keep the database busy across a
 * page of accounts, few enough that a task over 10,000 accounts never floods its connection pool.
 */
export async function eachWithLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
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
