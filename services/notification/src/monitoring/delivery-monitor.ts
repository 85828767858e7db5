import type { Logger } from '@solar/chassis';
import type { ProviderName } from '../providers/email-provider';
import { nextDegradationState, type AlertPolicy, type DegradationState } from './degradation-state';
import { SuccessWindow, type WindowFigures } from './success-window';

/**
 * What one delivery step ended in. `retried` is a transient provider failure that will be tried
 * again; `rendering_failed` never reached the provider and `suppressed` was never meant to.
 */
export type MonitoredOutcome = 'sent' | 'failed' | 'retried' | 'suppressed' | 'rendering_failed';

export interface OutcomeRecord {
  provider: ProviderName;
  template: string;
  outcome: MonitoredOutcome;
}

/** The one thing the delivery use case needs from monitoring. */
export interface OutcomeRecorder {
  record(record: OutcomeRecord): void;
}

/** Only calls to the provider count towards its success rate: our own rendering bugs and suppressed addresses say nothing about it. */
const PROVIDER_ATTEMPT: Record<MonitoredOutcome, 'success' | 'failure' | null> = {
  sent: 'success',
  failed: 'failure',
  retried: 'failure',
  suppressed: null,
  rendering_failed: null,
};

export interface DeliveryAlert {
  provider: ProviderName;
  windowStart: string;
  windowEnd: string;
  attempted: number;
  failed: number;
  failureRate: number;
  /** The failure rate above which delivery counts as degraded (1 - success threshold), as the events carry it. */
  threshold: number;
}

/** Where alerts go (log, Kafka, webhook); may be slow or fail, which never reaches the delivery path. */
export interface AlertSink {
  raise(kind: 'degraded' | 'recovered', alert: DeliveryAlert): Promise<void>;
}

export interface ProviderStatus extends WindowFigures {
  provider: ProviderName;
  degraded: boolean;
}

export interface CounterEntry {
  provider: ProviderName;
  template: string;
  outcome: MonitoredOutcome;
  count: number;
}

export interface DeliveryMonitorOptions extends AlertPolicy {
  windowMs: number;
  /** Providers reported even before their first email, so health has a row to show. */
  providers: ProviderName[];
  alerts: AlertSink;
  clock: () => Date;
  logger: Logger;
}

/**
 * Counts delivery outcomes and watches each provider's success rate. State is in memory and per
 * instance: each replica alerts on what it sees itself and a restart starts from zero. That is
 * acceptable while the counters are only read here; the Prometheus endpoint (issue 9) will export
 * them so aggregation across replicas happens there.
 */
export class DeliveryMonitor implements OutcomeRecorder {
  private readonly windows = new Map<ProviderName, SuccessWindow>();
  private readonly states = new Map<ProviderName, DegradationState>();
  /** Keyed by provider, template and outcome; bounded by the number of templates, not of emails. */
  private readonly counters = new Map<string, CounterEntry>();
  private readonly pending = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  readonly since: Date;

  constructor(private readonly options: DeliveryMonitorOptions) {
    this.since = options.clock();
    for (const provider of options.providers) this.windowOf(provider);
  }

  get policy(): AlertPolicy & { windowMs: number } {
    const { minAttempts, successThreshold, windowMs } = this.options;
    return { minAttempts, successThreshold, windowMs };
  }

  record({ provider, template, outcome }: OutcomeRecord): void {
    const key = `${provider}\u0000${template}\u0000${outcome}`;
    const entry = this.counters.get(key) ?? { provider, template, outcome, count: 0 };
    entry.count += 1;
    this.counters.set(key, entry);
    const attempt = PROVIDER_ATTEMPT[outcome];
    if (attempt === null) return;
    this.windowOf(provider).add(this.options.clock(), attempt === 'success');
    this.evaluate(provider);
  }

  /**
   * Re-evaluates every provider: without traffic nothing calls `record`, yet failures still slide
   * out of the window and an episode has to be able to end.
   */
  evaluateAll(): void {
    for (const provider of this.windows.keys()) this.evaluate(provider);
  }

  status(provider: ProviderName): ProviderStatus {
    return {
      provider,
      ...this.windowOf(provider).figures(this.options.clock()),
      degraded: this.states.get(provider) === 'degraded',
    };
  }

  statuses(): ProviderStatus[] {
    return [...this.windows.keys()].map((provider) => this.status(provider));
  }

  counts(): CounterEntry[] {
    return [...this.counters.values()].map((entry) => ({ ...entry }));
  }

  /** Evaluates on a timer as often as the window moves (one bucket), at most once a second. */
  start(): void {
    const bucketMs = this.windowOf(this.options.providers[0] ?? 'smtp').bucketMs;
    this.timer = setInterval(() => this.evaluateAll(), Math.min(60_000, Math.max(1_000, bucketMs)));
    this.timer.unref();
  }

  /** Stops the timer and waits for alerts already on their way. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.settled();
  }

  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private evaluate(provider: ProviderName): void {
    const figures = this.windowOf(provider).figures(this.options.clock());
    const { state, transition } = nextDegradationState(this.states.get(provider) ?? 'healthy', figures, this.options);
    this.states.set(provider, state);
    if (transition) this.raise(transition, provider, figures);
  }

  private raise(kind: 'degraded' | 'recovered', provider: ProviderName, figures: WindowFigures): void {
    const alert: DeliveryAlert = {
      provider,
      windowStart: figures.windowStart.toISOString(),
      windowEnd: figures.windowEnd.toISOString(),
      attempted: figures.attempted,
      failed: figures.failed,
      failureRate: figures.attempted === 0 ? 0 : round(figures.failed / figures.attempted),
      threshold: round(1 - this.options.successThreshold),
    };
    // Fire and forget: a delivery must not wait for, or fail because of, an alert channel.
    const sent = this.options.alerts.raise(kind, alert).catch((error: unknown) => {
      this.options.logger.error({ err: error, provider, kind }, 'email delivery alert could not be raised');
    });
    this.pending.add(sent);
    void sent.finally(() => this.pending.delete(sent));
  }

  private windowOf(provider: ProviderName): SuccessWindow {
    let window = this.windows.get(provider);
    if (!window) {
      window = new SuccessWindow(this.options.windowMs);
      this.windows.set(provider, window);
    }
    return window;
  }
}

/** Six decimals: enough for a rate, and 1 - 0.95 reads 0.05 rather than 0.050000000000000044. */
const round = (value: number) => Math.round(value * 1e6) / 1e6;
