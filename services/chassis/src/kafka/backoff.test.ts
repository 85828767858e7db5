import { backoffDelay } from './backoff';

const policy = { attempts: 6, initialMs: 100, maxMs: 1_000 };

describe('backoffDelay', () => {
  it('doubles the ceiling with each attempt up to the maximum', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(policy, attempt, () => 1))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('spreads retries below the ceiling', () => {
    expect(backoffDelay(policy, 3, () => 0.25)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0)).toBe(0);
  });
});
