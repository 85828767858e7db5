import { EMPTY_THROTTLE, afterFailure, lockedFor, type ThrottleState } from './login-throttle';

const policy = { maxFailures: 10, windowMs: 15 * 60_000, baseLockMs: 60_000, maxLockMs: 3_600_000 };
const start = new Date('2026-01-01T00:00:00Z');
const at = (ms: number) => new Date(start.getTime() + ms);

function fail(times: number, state: ThrottleState = EMPTY_THROTTLE, from = 0) {
  let locked = false;
  for (let i = 0; i < times; i++) ({ state, locked } = afterFailure(state, at(from + i * 1_000), policy));
  return { state, locked };
}

describe('login throttle', () => {
  it('locks on the tenth failure within the window, not before', () => {
    expect(fail(9).locked).toBe(false);
    const tenth = fail(10);
    expect(tenth.locked).toBe(true);
    expect(lockedFor(tenth.state, at(9_000))).toBe(60_000);
  });

  it('forgets failures older than the window', () => {
    const { state } = fail(9);
    const late = afterFailure(state, at(16 * 60_000), policy);
    expect(late.locked).toBe(false);
    expect(late.state.failures).toBe(1);
  });

  it('doubles each further lock up to the ceiling', () => {
    let state = EMPTY_THROTTLE;
    const lengths: number[] = [];
    for (let round = 0; round < 8; round++) {
      const from = round * 10_000_000;
      ({ state } = fail(10, state, from));
      lengths.push(lockedFor(state, at(from + 9_000)));
    }
    expect(lengths).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
  });

  it('does not count failures recorded while a lock is in force, so a burst locks once', () => {
    const { state } = fail(10);
    const during = fail(10, state, 10_000);
    expect(during.locked).toBe(false);
    expect(during.state).toEqual(state);
    expect(lockedFor(during.state, at(10_000))).toBe(59_000);
  });

  it('is unlocked once the lock has passed', () => {
    const { state } = fail(10);
    expect(lockedFor(state, at(9_000 + 60_000))).toBe(0);
  });
});
