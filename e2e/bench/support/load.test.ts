import { setTimeout as sleep } from 'node:timers/promises';
import { mergeLoads, percentile, runLoad } from './load';
import { chart, meets, table, type Figure } from './report';

test('percentile is nearest-rank and NaN without samples', () => {
  const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
  expect(percentile(samples, 0.5)).toBe(50);
  expect(percentile(samples, 0.99)).toBe(99);
  expect(percentile([7], 0.99)).toBe(7);
  expect(percentile([], 0.5)).toBeNaN();
});

test('runLoad counts only successes inside the window and keeps the first failure', async () => {
  const result = await runLoad({
    concurrency: 3,
    durationMs: 200,
    warmupMs: 50,
    request: async (_worker, sequence) => {
      await sleep(5);
      if (sequence % 4 === 0) throw new Error(`refused ${sequence}`);
    },
  });
  expect(result.completed).toBeGreaterThan(0);
  expect(result.failed).toBeGreaterThan(0);
  expect(result.firstError).toMatch(/^refused /);
  expect(result.perSecond).toBeCloseTo(result.completed / 0.2);
});

test('kept latencies are those of the successes inside the window only', async () => {
  const result = await runLoad({
    concurrency: 2,
    durationMs: 200,
    warmupMs: 50,
    keepLatencies: true,
    request: async (worker) => {
      await sleep(5);
      if (worker === 1) throw new Error('worker 1 refused');
    },
  });
  expect(result.completed).toBeGreaterThan(0);
  expect(result.failed).toBeGreaterThan(0);
  expect(result.firstError).toBe('worker 1 refused');
  expect(result.latenciesMs).toHaveLength(result.completed);
  expect(Math.min(...result.latenciesMs!)).toBeGreaterThanOrEqual(4);
});

test('targets are judged both ways and a non-number never meets one', () => {
  const figure = (value: number, op: '>=' | '<='): Figure => ({ name: 'x', value, unit: '', target: { op, value: 1 } });
  expect(meets(figure(1.2, '>='))).toBe(true);
  expect(meets(figure(0.8, '>='))).toBe(false);
  expect(meets(figure(0.8, '<='))).toBe(true);
  expect(meets(figure(Number.NaN, '>='))).toBe(false);
  expect(meets({ name: 'x', value: 3, unit: '/s' })).toBeUndefined();
  expect(table([figure(0.8, '>=')])).toContain('MISSED');
  expect(chart('t <&>', [figure(2, '>='), { name: 'info', value: 3, unit: '/s' }])).toMatch(
    /^<svg[\s\S]*t &lt;&amp;&gt;[\s\S]*info: 3.00 \/s/,
  );
});

test('merged runs count every success over the summed windows and take percentiles over all latencies', () => {
  const run = (latenciesMs: number[], durationMs: number, failed = 0, firstError?: string) => ({
    concurrency: 4,
    perSecond: latenciesMs.length / (durationMs / 1000),
    completed: latenciesMs.length,
    failed,
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
    durationMs,
    latenciesMs,
    ...(firstError ? { firstError } : {}),
  });
  const merged = mergeLoads([run([10, 20, 30], 1_000), run([40], 3_000, 2, 'refused')]);
  expect(merged).toMatchObject({ concurrency: 4, completed: 4, failed: 2, durationMs: 4_000, p50Ms: 20, p99Ms: 40, firstError: 'refused' });
  expect(merged.perSecond).toBe(1);
  expect(() => mergeLoads([{ ...run([1], 1_000), latenciesMs: undefined }])).toThrow(/kept their latencies/);
  expect(mergeLoads([run([], 1_000)]).perSecond).toBe(0);
  expect(mergeLoads([]).perSecond).toBeNaN();
});
