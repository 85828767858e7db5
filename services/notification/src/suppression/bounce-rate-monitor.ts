import type { Logger } from '@solar/chassis';
import type { BounceCount } from './suppression.repository';

export interface BounceRateFigures {
  windowStart: string;
  windowEnd: string;
  sent: number;
  /** Hard bounces and complaints reported in the window. */
  bounced: number;
  bounceRate: number;
  threshold: number;
}

export interface BounceRateSettings {
  threshold: number;
  windowMs: number;
  /** Below this many sent emails a few bounces say nothing about the list. */
  minSent: number;
}

/**
 * Pure: the bounce rate of a window, and whether it is over the threshold. Soft bounces and drops are
 * left out: providers judge senders by hard bounces and complaints, and those are what suppress.
 */
export function evaluateBounceRate(stats: BounceCount[], sent: number, settings: BounceRateSettings, now: Date) {
  const bounced = stats.filter((s) => s.kind === 'hard_bounce' || s.kind === 'complaint').reduce((sum, s) => sum + s.count, 0);
  const bounceRate = sent > 0 ? Math.min(1, bounced / sent) : 0;
  const figures: BounceRateFigures = {
    windowStart: new Date(now.getTime() - settings.windowMs).toISOString(),
    windowEnd: now.toISOString(),
    sent,
    bounced,
    bounceRate,
    threshold: settings.threshold,
  };
  return { figures, high: sent >= settings.minSent && bounceRate > settings.threshold };
}

/**
 * Checks the bounce rate now and then and alerts on each change, not on every check. The alert is a
 * log line by default; `alert` lets the monitoring code route it to its channels.
 */
export class BounceRateMonitor {
  private timer: NodeJS.Timeout | undefined;
  private high = false;

  constructor(
    private readonly deps: {
      bounceStats: (since: Date) => Promise<BounceCount[]>;
      sentSince: (since: Date) => Promise<number>;
      settings: BounceRateSettings;
      intervalMs: number;
      clock: () => Date;
      logger: Logger;
      alert?: (kind: 'high' | 'recovered', figures: BounceRateFigures) => Promise<void>;
    },
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.check(), this.deps.intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async check(): Promise<BounceRateFigures | null> {
    try {
      const now = this.deps.clock();
      const since = new Date(now.getTime() - this.deps.settings.windowMs);
      const [stats, sent] = await Promise.all([this.deps.bounceStats(since), this.deps.sentSince(since)]);
      const { figures, high } = evaluateBounceRate(stats, sent, this.deps.settings, now);
      if (high !== this.high) {
        this.high = high;
        if (high) this.deps.logger.error({ figures }, 'email bounce rate is above its threshold');
        else this.deps.logger.warn({ figures }, 'email bounce rate is back under its threshold');
        await this.deps.alert?.(high ? 'high' : 'recovered', figures);
      }
      return figures;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'bounce rate check failed; will try again');
      return null;
    }
  }
}
