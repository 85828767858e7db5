import { createLogger } from '@solar/chassis';
import { ProviderReachability } from './provider-reachability';

const logger = createLogger({ service: 'test', level: 'silent' });

function setup(verify: () => Promise<void>, timeoutMs = 1_000) {
  let now = new Date('2026-03-01T10:00:00Z');
  const calls = { count: 0 };
  const reachability = new ProviderReachability({
    verify: () => {
      calls.count += 1;
      return verify();
    },
    cacheMs: 30_000,
    timeoutMs,
    clock: () => now,
    logger,
  });
  return {
    reachability,
    calls,
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms);
    },
  };
}

describe('ProviderReachability', () => {
  it('asks the provider at most once per cache period, however often it is asked', async () => {
    const { reachability, calls, advance } = setup(async () => undefined);

    expect(await Promise.all([reachability.check(), reachability.check(), reachability.check()])).toEqual([true, true, true]);
    advance(29_999);
    expect(await reachability.check()).toBe(true);
    expect(calls.count).toBe(1);

    advance(1);
    await reachability.check();
    expect(calls.count).toBe(2);
  });

  it('caches a failure too, so a broken provider is not hammered either', async () => {
    const { reachability, calls } = setup(() => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:587 as user secret')));

    expect(await reachability.check()).toBe(false);
    expect(await reachability.check()).toBe(false);
    expect(calls.count).toBe(1);
  });

  it('counts a provider that does not answer in time as unreachable', async () => {
    const { reachability } = setup(() => new Promise<void>(() => undefined), 50);

    expect(await reachability.check()).toBe(false);
  });
});
