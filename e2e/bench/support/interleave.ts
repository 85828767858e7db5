import { mergeLoads, type LoadResult } from './load';

/** One side of a comparison: a load run for `sliceMs` that keeps its latencies (runLoad's `keepLatencies`). */
export type Side = (sliceMs: number) => Promise<LoadResult>;

export interface InterleaveOptions<K extends string> {
  /** Measured time of each side, cut into `rounds` slices. */
  durationMs: number;
  rounds: number;
  /** Told each round's slices as soon as the round is done, e.g. to print progress. */
  onRound?: (round: number, slices: Record<K, LoadResult>) => void;
}

export interface Interleaved<K extends string> {
  /** Each side's slices merged: one rate over their summed windows, percentiles over all their latencies. */
  merged: Record<K, LoadResult>;
  /** Each side's rate in each slice, to show how far the machine moved during the run. */
  perSlice: Record<K, number[]>;
}

/**
 * The sides of a comparison run in turn, `rounds` slices each (A B C A B C …), and merged, so that other
 * work on the machine starting or stopping during the run weighs on every side alike: on a machine
 * others use, the background load drifts by the minute, and a long run of each side would compare the
 * minutes rather than the sides.
 */
export async function interleave<K extends string>(sides: Record<K, Side>, options: InterleaveOptions<K>): Promise<Interleaved<K>> {
  const keys = Object.keys(sides) as K[];
  const slices = new Map<K, LoadResult[]>(keys.map((key) => [key, []]));
  for (let round = 1; round <= options.rounds; round++) {
    const measured = {} as Record<K, LoadResult>;
    for (const key of keys) {
      measured[key] = await sides[key](options.durationMs / options.rounds);
      slices.get(key)!.push(measured[key]);
    }
    options.onRound?.(round, measured);
  }
  const each = <T>(f: (runs: LoadResult[]) => T) => Object.fromEntries(keys.map((key) => [key, f(slices.get(key)!)])) as Record<K, T>;
  return { merged: each(mergeLoads), perSlice: each((runs) => runs.map((run) => Math.round(run.perSecond * 10) / 10)) };
}
