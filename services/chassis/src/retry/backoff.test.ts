import { backoffDelay, retry } from './backoff';

const policy = { attempts: 6, initialMs: 100, maxMs: 1_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('spreads retries below the ceiling', () => {
    expect(backoffDelay(policy, 3, () => 0.25)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});

describe('retry', () => {
  const fast = { attempts: 3, initialMs: 1, maxMs: 2 };

  it('tries again until the call succeeds, telling of each retried failure', async () => {
    const failures: number[] = [];
    let calls = 0;
    const result = await retry(
      async () => {
        if (++calls < 3) throw new Error('not yet');
        return 'done';
      },
      { policy: fast, onRetry: (_error, attempt) => failures.push(attempt) },
    );
    expect(result).toBe('done');
    expect(failures).toEqual([1, 2]);
  });

  it('throws the last failure once the attempts are spent', async () => {
    let calls = 0;
    await expect(retry(() => Promise.reject(new Error(`failure ${++calls}`)), { policy: fast })).rejects.toThrow('failure 3');
  });

  it('stops waiting when aborted', async () => {
    const stop = new AbortController();
    const running = retry(() => Promise.reject(new Error('down')), {
      policy: { attempts: Infinity, initialMs: 60_000, maxMs: 60_000 },
      signal: stop.signal,
      onRetry: () => setTimeout(() => stop.abort(), 10),
      random: () => 1,
    });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });
});
