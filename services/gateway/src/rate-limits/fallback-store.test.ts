import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Logger } from '@solar/chassis';
import { FallbackStore, SharedStoreState } from './fallback-store';

/** A stand-in for Redis that can be switched off and on. */
class FlakyStore implements Store {
  up = true;
  inits = 0;
  hits = new Map<string, number>();
  init(): void {
    this.inits += 1;
    if (!this.up) throw new Error('connection refused');
  }
  increment(key: string): IncrementResponse {
    if (!this.up) throw new Error('connection refused');
    const totalHits = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, totalHits);
    return { totalHits, resetTime: undefined };
  }
  decrement(): void {}
  resetKey(): void {}
}

function setup() {
  const primary = new FlakyStore();
  const logs: { level: string; message: string }[] = [];
  const logger = {
    warn: (_: unknown, message: string) => logs.push({ level: 'warn', message }),
    info: (_: unknown, message: string) => logs.push({ level: 'info', message }),
  } as unknown as Logger;
  let now = 0;
  const state = new SharedStoreState({
    probe: async () => {
      if (!primary.up) throw new Error('connection refused');
    },
    logger,
    probeIntervalMs: 1_000,
    now: () => now,
  });
  const stores = [new FallbackStore(primary, state, 'a:'), new FallbackStore(primary, state, 'b:')];
  return { primary, logs, state, stores, advance: (ms: number) => (now += ms) };
}

const options = { windowMs: 60_000 } as Options;

describe('FallbackStore', () => {
  let context: ReturnType<typeof setup>;
  beforeEach(async () => {
    context = setup();
    for (const store of context.stores) await store.init(options);
  });
  afterEach(() => context.stores.forEach((store) => store.shutdown()));

  it('counts in the shared store while it answers', async () => {
    const [store] = context.stores;
    expect((await store!.increment('k')).totalHits).toBe(1);
    expect((await store!.increment('k')).totalHits).toBe(2);
    expect(context.state).toMatchObject({ mode: 'shared', outages: 0, fallbacks: 0 });
  });

  it('counts in memory when the shared store fails, warning once for every limiter', async () => {
    context.primary.up = false;
    for (const store of context.stores) {
      expect((await store.increment('k')).totalHits).toBe(1);
      expect((await store.increment('k')).totalHits).toBe(2);
    }
    expect(context.state).toMatchObject({ mode: 'per-instance', outages: 1, fallbacks: 4, lastError: 'connection refused' });
    expect(context.logs.filter((log) => log.level === 'warn')).toHaveLength(1);
  });

  it('returns to the shared store by itself once it answers, re-initialising the stores first', async () => {
    const [store] = context.stores;
    context.primary.up = false;
    await store!.increment('k');
    context.primary.up = true;
    const initsBefore = context.primary.inits;
    await store!.increment('k'); // within the probe interval: still memory, no probe
    expect(context.state.mode).toBe('per-instance');
    context.advance(1_000);
    await store!.increment('k'); // triggers a background probe
    await context.state.recover();
    expect(context.state.mode).toBe('shared');
    expect(context.primary.inits).toBe(initsBefore + 2);
    expect((await store!.increment('k')).totalHits).toBe(1);
    expect(context.logs.map((log) => log.level)).toEqual(['warn', 'info']);
  });

  it('starts per-instance when the shared store is down at start', async () => {
    const fresh = setup();
    fresh.primary.up = false;
    await fresh.stores[0]!.init(options);
    expect(fresh.state.mode).toBe('per-instance');
    expect((await fresh.stores[0]!.increment('k')).totalHits).toBe(1);
    fresh.stores.forEach((store) => store.shutdown());
  });
});
