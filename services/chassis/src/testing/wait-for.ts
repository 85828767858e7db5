import { setTimeout as sleep } from 'node:timers/promises';

/** Polls until the probe returns a value other than undefined, or fails with the last reason. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' }: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Sleeps until the wall-clock time `at` (now if it has passed): only for proving that something does
 * not happen before a moment, or at all; everything else waits for a condition with waitFor.
 */
export function sleepUntil(at: number | Date): Promise<void> {
  return sleep(Math.max(0, new Date(at).getTime() - Date.now()));
}
