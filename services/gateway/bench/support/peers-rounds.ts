import { percentile, runLoad } from './load';

/** What one slice of load measured: its successes within the window, with their latencies. */
export interface Slice {
  durationMs: number;
  completed: number;
  failed: number;
  latenciesMs: number[];
  firstError?: string;
}

export interface Combined {
  perSecond: number;
  completed: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  firstError?: string;
}

/**
 * A closed-loop slice (runLoad) that also keeps its latencies, so slices measured apart combine into
 * one rate and one set of percentiles. Slices of each system taken in turn see the same background
 * load, which a long run of each would not on a machine others use.
 */
export async function measureSlice(options: {
  concurrency: number;
  durationMs: number;
  warmupMs: number;
  request: (worker: number) => Promise<void>;
}): Promise<Slice> {
  const latenciesMs: number[] = [];
  const from = performance.now() + options.warmupMs;
  const until = from + options.durationMs;
  const result = await runLoad({
    ...options,
    request: async (worker) => {
      const sent = performance.now();
      await options.request(worker);
      const answered = performance.now();
      if (sent >= from && answered <= until) latenciesMs.push(answered - sent);
    },
  });
  return {
    durationMs: options.durationMs,
    completed: result.completed,
    failed: result.failed,
    latenciesMs,
    ...(result.firstError === undefined ? {} : { firstError: result.firstError }),
  };
}

/** One rate over the slices' summed windows, percentiles over all their latencies, the first error. */
export function combine(slices: readonly Slice[]): Combined {
  const durationMs = slices.reduce((sum, s) => sum + s.durationMs, 0);
  const completed = slices.reduce((sum, s) => sum + s.completed, 0);
  const latencies = slices.flatMap((s) => s.latenciesMs);
  const firstError = slices.find((s) => s.firstError !== undefined)?.firstError;
  return {
    perSecond: durationMs > 0 ? completed / (durationMs / 1000) : Number.NaN,
    completed,
    failed: slices.reduce((sum, s) => sum + s.failed, 0),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    ...(firstError === undefined ? {} : { firstError }),
  };
}
