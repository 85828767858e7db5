import { interleave } from './interleave';
import { percentile, type LoadResult } from './load';

const slice = (sliceMs: number, latenciesMs: number[], failed = 0, firstError?: string): LoadResult => ({
  concurrency: 2,
  perSecond: latenciesMs.length / (sliceMs / 1000),
  completed: latenciesMs.length,
  failed,
  p50Ms: percentile(latenciesMs, 0.5),
  p99Ms: percentile(latenciesMs, 0.99),
  durationMs: sliceMs,
  latenciesMs,
  ...(firstError ? { firstError } : {}),
});

test('the sides take turns, each slice a round of the duration, and each side is merged over its slices', async () => {
  const order: string[] = [];
  const rounds: number[] = [];
  const { merged, perSlice } = await interleave(
    {
      a: async (sliceMs) => {
        order.push(`a${sliceMs}`);
        return slice(sliceMs, order.length === 1 ? [10, 20, 30] : [40]);
      },
      b: async (sliceMs) => {
        order.push(`b${sliceMs}`);
        return slice(sliceMs, [], 1, `refused in slice ${order.length}`);
      },
    },
    { durationMs: 3_000, rounds: 3, onRound: (round, slices) => rounds.push(round, slices.a.completed) },
  );
  expect(order).toEqual(['a1000', 'b1000', 'a1000', 'b1000', 'a1000', 'b1000']);
  expect(rounds).toEqual([1, 3, 2, 1, 3, 1]);
  expect(merged.a).toMatchObject({ completed: 5, durationMs: 3_000, p50Ms: 30, p99Ms: 40 });
  expect(merged.a.perSecond).toBeCloseTo(5 / 3);
  expect(perSlice.a).toEqual([3, 1, 1]);
  // Nothing succeeded: no rate, no percentiles, and the first failure kept to say why.
  expect(merged.b).toMatchObject({ completed: 0, failed: 3, perSecond: 0, firstError: 'refused in slice 2' });
  expect(merged.b.p50Ms).toBeNaN();
});

test('a side that did not keep its latencies cannot be merged', async () => {
  await expect(
    interleave({ a: async (sliceMs) => ({ ...slice(sliceMs, [1]), latenciesMs: undefined }) }, { durationMs: 100, rounds: 1 }),
  ).rejects.toThrow(/kept their latencies/);
});
