/**
 * A closed-loop load: `concurrency` workers each send the next request as soon as the last one
 * answered, for `durationMs` after a warm-up whose requests are not counted. Closed loop is what a
 * pool of clients does and what the peers were measured with, so figures compare.
 */
export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  warmupMs?: number;
  /** One request; resolves when it succeeded, throws when it did not. `worker` is 0..concurrency-1. */
  request: (worker: number, sequence: number) => Promise<void>;
  /** Keep every latency in the result (`latenciesMs`), so runs can be merged with `mergeLoads`. */
  keepLatencies?: boolean;
}

export interface LoadResult {
  concurrency: number;
  /** Successful requests per second over the measured window. */
  perSecond: number;
  completed: number;
  failed: number;
  /** Latencies of the successful requests, in milliseconds. */
  p50Ms: number;
  p99Ms: number;
  /** The first failure's message, to say what went wrong without flooding the output. */
  firstError?: string;
  /** Measured window in milliseconds. */
  durationMs: number;
  latenciesMs?: number[];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const warmupMs = options.warmupMs ?? 2_000;
  const start = performance.now();
  const measureFrom = start + warmupMs;
  const measureUntil = measureFrom + options.durationMs;
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  let sequence = 0;

  const worker = async (id: number) => {
    while (performance.now() < measureUntil) {
      const sent = performance.now();
      try {
        await options.request(id, sequence++);
        const answered = performance.now();
        if (sent >= measureFrom && answered <= measureUntil) latencies.push(answered - sent);
      } catch (error) {
        if (sent >= measureFrom) failed++;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, id) => worker(id)));
  return {
    concurrency: options.concurrency,
    perSecond: latencies.length / (options.durationMs / 1000),
    completed: latencies.length,
    failed,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ...(firstError === undefined ? {} : { firstError }),
    durationMs: options.durationMs,
    ...(options.keepLatencies ? { latenciesMs: latencies } : {}),
  };
}

/**
 * One result from several runs of the same load (see `interleave`): one rate over their summed windows,
 * percentiles over all their latencies, the first error. Every run must keep its latencies. No run
 * at all is a NaN rate, so nothing measured cannot pass for a slow or a fast result.
 */
export function mergeLoads(runs: LoadResult[]): LoadResult {
  const latencies = runs.flatMap((run) => {
    if (!run.latenciesMs) throw new Error('mergeLoads needs runs that kept their latencies');
    return run.latenciesMs;
  });
  const durationMs = runs.reduce((sum, run) => sum + run.durationMs, 0);
  const firstError = runs.find((run) => run.firstError !== undefined)?.firstError;
  return {
    concurrency: runs[0]?.concurrency ?? 0,
    perSecond: durationMs > 0 ? latencies.length / (durationMs / 1000) : Number.NaN,
    completed: latencies.length,
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ...(firstError === undefined ? {} : { firstError }),
    durationMs,
    latenciesMs: latencies,
  };
}

/** Nearest-rank percentile; NaN for no samples, so an empty run cannot pass for a fast one. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}
