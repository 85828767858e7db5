import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Seconds: from a cache hit to an SMTP send or a purge job, the ranges these services see. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

interface SeriesOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
}

/**
 * One service instance's Prometheus registry. Never prom-client's global one: tests run several
 * services in one process, and each must expose only its own series. Every series, the default
 * process ones included, carries a `service` label. A series is defined by its first user and shared
 * by later ones (two consumers of one service count into the same series), so components can define
 * what they record where they record it.
 */
export class Metrics {
  readonly registry = new Registry();

  constructor(readonly service: string) {
    this.registry.setDefaultLabels({ service });
    collectDefaultMetrics({ register: this.registry });
  }

  counter<L extends string>(options: SeriesOptions<L> & { collect?: (this: Counter<L>) => void | Promise<void> }): Counter<L> {
    return (
      this.existing(options.name, Counter) ??
      new Counter<L>({ ...options, labelNames: options.labelNames ?? [], registers: [this.registry] })
    );
  }

  histogram<L extends string>(options: SeriesOptions<L> & { buckets?: number[] }): Histogram<L> {
    return (
      this.existing(options.name, Histogram) ??
      new Histogram<L>({ buckets: DURATION_BUCKETS, ...options, labelNames: options.labelNames ?? [], registers: [this.registry] })
    );
  }

  gauge<L extends string>(options: SeriesOptions<L> & { collect?: (this: Gauge<L>) => void | Promise<void> }): Gauge<L> {
    return (
      this.existing(options.name, Gauge) ?? new Gauge<L>({ ...options, labelNames: options.labelNames ?? [], registers: [this.registry] })
    );
  }

  /** The exposition a scrape gets: the text format and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private existing<T>(name: string, kind: abstract new (...args: never[]) => T): T | undefined {
    const found = this.registry.getSingleMetric(name);
    if (found === undefined) return undefined;
    if (!(found instanceof kind)) throw new Error(`metric ${name} is already defined as another type`);
    return found;
  }
}
