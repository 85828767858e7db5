import { combine, measureSlice, type Slice } from './peers-rounds';

const slice = (durationMs: number, latenciesMs: number[], extra: Partial<Slice> = {}): Slice => ({
  durationMs,
  completed: latenciesMs.length,
  failed: 0,
  latenciesMs,
  ...extra,
});

test('slices combine into one rate over their summed windows and percentiles over all latencies', () => {
  const combined = combine([
    slice(1000, [10, 20, 30]),
    slice(3000, [40, 50, 60, 70, 80, 90, 100, 110, 120]),
    slice(1000, [], { failed: 2, firstError: 'refused' }),
  ]);
  expect(combined.perSecond).toBeCloseTo(12 / 5);
  expect(combined.completed).toBe(12);
  expect(combined.failed).toBe(2);
  expect(combined.p50Ms).toBe(60);
  expect(combined.p99Ms).toBe(120);
  expect(combined.firstError).toBe('refused');
});

test('nothing measured is NaN, not a fast result', () => {
  const combined = combine([slice(1000, [])]);
  expect(combined.perSecond).toBe(0);
  expect(combined.p50Ms).toBeNaN();
  expect(combine([]).perSecond).toBeNaN();
});

test('a slice keeps the latencies of the successes inside its window only', async () => {
  const measured = await measureSlice({
    concurrency: 2,
    durationMs: 200,
    warmupMs: 50,
    request: async (worker) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (worker === 1) throw new Error('worker 1 refused');
    },
  });
  expect(measured.completed).toBeGreaterThan(0);
  expect(measured.failed).toBeGreaterThan(0);
  expect(measured.firstError).toBe('worker 1 refused');
  // runLoad's window opens a moment after ours, so a request on its edge may count in one and not the other.
  expect(Math.abs(measured.latenciesMs.length - measured.completed)).toBeLessThanOrEqual(2);
  expect(Math.min(...measured.latenciesMs)).toBeGreaterThanOrEqual(4);
});
