export interface ThrottlePolicy {
  /** Failures within the window that lock the address. */
  maxFailures: number;
  windowMs: number;
  /** The first lock's length; each further lock doubles it, up to maxLockMs. */
  baseLockMs: number;
  maxLockMs: number;
}

export interface ThrottleState {
  failures: number;
  windowStart: Date | null;
  lockedUntil: Date | null;
  /** Locks so far without a successful sign-in between them: the growing part of the delay. */
  locks: number;
}

export const EMPTY_THROTTLE: ThrottleState = { failures: 0, windowStart: null, lockedUntil: null, locks: 0 };

/** No failure, window or lock on record: the same as no throttle at all. */
export function isClear(state: ThrottleState): boolean {
  return state.failures === 0 && state.windowStart === null && state.lockedUntil === null && state.locks === 0;
}

export function lockedFor(state: ThrottleState, now: Date): number {
  return state.lockedUntil ? Math.max(0, state.lockedUntil.getTime() - now.getTime()) : 0;
}

export interface FailureOutcome {
  state: ThrottleState;
  /** This failure started a lock. */
  locked: boolean;
  /** Failures in the current window, this one included. */
  failures: number;
}

/** The state after one more failed sign-in. */
export function afterFailure(state: ThrottleState, now: Date, policy: ThrottlePolicy): FailureOutcome {
  // A failure that raced the start of a lock (checked before it, recorded after) is refused anyway:
  // it must not count towards the next lock, or one burst would lock twice, doubling the delay.
  if (lockedFor(state, now) > 0) return { state, locked: false, failures: state.failures };
  const windowOpen = state.windowStart !== null && now.getTime() - state.windowStart.getTime() < policy.windowMs;
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStart = windowOpen ? state.windowStart : now;
  if (failures < policy.maxFailures) return { state: { ...state, failures, windowStart }, locked: false, failures };
  const locks = state.locks + 1;
  const lockMs = Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** (locks - 1));
  return { state: { failures: 0, windowStart: null, lockedUntil: new Date(now.getTime() + lockMs), locks }, locked: true, failures };
}
