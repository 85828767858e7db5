import { MemoryStore, type IncrementResponse, type Options, type Store } from 'express-rate-limit';
import type { Logger } from '@solar/chassis';

export type StoreMode = 'shared' | 'per-instance';

/**
 * Whether the gateway's limits are currently counted in Redis (shared by every replica) or in each
 * instance's memory. One state per Redis connection, so every limiter switches together and an
 * outage is logged once, not once per route.
 */
export class SharedStoreState {
  mode: StoreMode = 'shared';
  /** Outages since start (shared → per-instance transitions). */
  outages = 0;
  /** Requests counted in memory because Redis could not be used. */
  fallbacks = 0;
  lastError: string | undefined;
  private lastProbeAt = Number.NEGATIVE_INFINITY;
  private recovering: Promise<boolean> | undefined;
  private readonly reconnectHooks: (() => Promise<void>)[] = [];

  constructor(
    private readonly options: {
      /** Resolves when Redis answers (PING). */
      probe: () => Promise<void>;
      logger: Logger;
      /** How often, at most, a request in per-instance mode triggers a probe. */
      probeIntervalMs: number;
      now?: () => number;
    },
  ) {}

  /** Stores re-prepare themselves (script loading) before the state returns to shared. */
  onReconnect(hook: () => Promise<void>): void {
    this.reconnectHooks.push(hook);
  }

  failed(error: unknown): void {
    this.lastError = error instanceof Error ? error.message : String(error);
    if (this.mode === 'per-instance') return;
    this.mode = 'per-instance';
    this.outages += 1;
    this.lastProbeAt = this.now();
    this.options.logger.warn(
      { err: this.lastError, outages: this.outages },
      'Redis is unavailable: rate limits are now counted per instance until it answers again',
    );
  }

  /** Called on requests served per instance: probes Redis at most once per interval, in the background. */
  maybeRecover(): void {
    if (this.mode === 'shared' || this.recovering || this.now() - this.lastProbeAt < this.options.probeIntervalMs) return;
    void this.recover();
  }

  /**
   * Probes Redis now; in per-instance mode a good answer re-prepares the stores and returns to shared
   * counting, in shared mode a bad one switches to per-instance. Concurrent callers share one probe.
   */
  recover(): Promise<boolean> {
    this.recovering ??= this.probeOnce().finally(() => {
      this.recovering = undefined;
    });
    return this.recovering;
  }

  private async probeOnce(): Promise<boolean> {
    this.lastProbeAt = this.now();
    try {
      await this.options.probe();
      if (this.mode === 'per-instance') {
        await Promise.all(this.reconnectHooks.map((hook) => hook()));
        this.mode = 'shared';
        this.lastError = undefined;
        this.options.logger.info({ fallbacks: this.fallbacks }, 'Redis answers again: rate limits are shared again');
      }
      return true;
    } catch (error) {
      this.failed(error);
      return false;
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/**
 * A store that counts in the shared store (Redis) and, when that fails, in this instance's memory,
 * so a Redis outage degrades the limits instead of failing requests. It never throws: a store
 * error would otherwise become a 500 for the client.
 */
export class FallbackStore implements Store {
  /** Counts live in Redis in the normal case; express-rate-limit must not treat them as local. */
  readonly localKeys = false;
  readonly prefix: string;
  private readonly memory = new MemoryStore();
  private options: Options | undefined;

  constructor(
    private readonly primary: Store,
    private readonly state: SharedStoreState,
    prefix: string,
  ) {
    this.prefix = prefix;
    // After an outage Redis may have lost its script cache, and a store whose first init failed keeps
    // the failed promise: both are fixed by initialising again before counting there.
    state.onReconnect(async () => {
      if (this.options) await this.primary.init?.(this.options);
    });
  }

  async init(options: Options): Promise<void> {
    this.options = options;
    this.memory.init(options);
    try {
      await this.primary.init?.(options);
    } catch (error) {
      this.state.failed(error);
    }
  }

  async increment(key: string): Promise<IncrementResponse> {
    if (this.state.mode === 'shared') {
      try {
        return await this.primary.increment(key);
      } catch (error) {
        this.state.failed(error);
      }
    } else {
      this.state.maybeRecover();
    }
    this.state.fallbacks += 1;
    return this.memory.increment(key);
  }

  async decrement(key: string): Promise<void> {
    await this.either((store) => store.decrement(key));
  }

  async resetKey(key: string): Promise<void> {
    await this.either((store) => store.resetKey(key));
  }

  shutdown(): void {
    this.memory.shutdown();
  }

  private async either(action: (store: Store) => Promise<void> | void): Promise<void> {
    if (this.state.mode === 'shared') {
      try {
        await action(this.primary);
        return;
      } catch (error) {
        this.state.failed(error);
      }
    }
    await action(this.memory);
  }
}
