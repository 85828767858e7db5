import { setTimeout as sleep } from 'node:timers/promises';

export interface BackoffPolicy {
  /** Tries in all, the first included; Infinity retries until it succeeds or is aborted. */
  attempts: number;
  initialMs: number;
  maxMs: number;
}

/** Exponential backoff with full jitter: attempt 1 waits up to initialMs, doubling up to maxMs. */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
  return Math.round(ceiling * random());
}

export interface RetryOptions {
  policy: BackoffPolicy;
  /** Ends the retrying: a wait under way rejects at once with an AbortError; after an attempt, its failure is thrown. */
  signal?: AbortSignal | undefined;
  /** Told of each failure that is retried (not of the last one, which is thrown). */
  onRetry?: (error: unknown, attempt: number) => void;
  random?: () => number;
}

/** Calls `attempt` until it resolves, waiting `backoffDelay` between failures; the last failure is thrown. */
export async function retry<T>(attempt: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= options.policy.attempts || options.signal?.aborted) throw error;
      options.onRetry?.(error, n);
      await sleep(backoffDelay(options.policy, n, options.random), undefined, { signal: options.signal });
    }
  }
}
