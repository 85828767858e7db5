import { BUCKETS_PER_WINDOW, SuccessWindow } from './success-window';

const MINUTE = 60_000;
const at = (ms: number) => new Date(Date.UTC(2026, 2, 1, 10) + ms);

describe('SuccessWindow', () => {
  it('has no success rate before anything was attempted', () => {
    expect(new SuccessWindow(15 * MINUTE).figures(at(0))).toMatchObject({ attempted: 0, failed: 0, successRate: null });
  });

  it('counts successes and failures inside the window', () => {
    const window = new SuccessWindow(15 * MINUTE);
    for (let i = 0; i < 19; i++) window.add(at(i * 1000), true);
    window.add(at(20_000), false);

    expect(window.figures(at(30_000))).toMatchObject({ attempted: 20, failed: 1, successRate: 0.95 });
  });

  it('forgets outcomes once their bucket has slid out of the window', () => {
    const window = new SuccessWindow(15 * MINUTE);
    window.add(at(0), false);
    window.add(at(5 * MINUTE), true);

    expect(window.figures(at(15 * MINUTE - 1)).attempted).toBe(2);
    expect(window.figures(at(15 * MINUTE))).toMatchObject({ attempted: 1, failed: 0 });
    expect(window.figures(at(20 * MINUTE))).toMatchObject({ attempted: 0, successRate: null });
  });

  it('reports the window it actually counted, in whole buckets', () => {
    const window = new SuccessWindow(15 * MINUTE);
    const figures = window.figures(at(15 * MINUTE + 30_000));

    expect(window.bucketMs).toBe(MINUTE);
    expect(figures.windowStart).toEqual(at(MINUTE));
    expect(figures.windowEnd).toEqual(at(15 * MINUTE + 30_000));
  });

  it('keeps memory bounded by buckets, not by emails', () => {
    const window = new SuccessWindow(15 * MINUTE);
    for (let second = 0; second < 3 * 60 * 60; second += 2) window.add(at(second * 1000), second % 10 !== 0);

    expect(window.size).toBeLessThanOrEqual(BUCKETS_PER_WINDOW + 1);
    expect(window.figures(at(3 * 60 * 60 * 1000)).attempted).toBe(14 * 30);
  });

  it('scales the buckets with short windows', () => {
    const window = new SuccessWindow(3_000);
    window.add(at(0), false);

    expect(window.bucketMs).toBe(200);
    expect(window.figures(at(2_900)).failed).toBe(1);
    expect(window.figures(at(3_000)).failed).toBe(0);
  });
});
