import { AppError } from '@solar/chassis';

export interface ThrottlePolicy {
  /** Failures within the window that start a lock. */
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

/** Whom an attempt counts against: the address it names and the client it came from. */
export interface ThrottleKey {
  email: string;
  ip: string;
}

/**
 * The two counts every attempt is checked against. The hard lock is per (address, client): one
 * client's guesses used to lock the address for everyone, its owner included, which let anyone lock
 * anyone out. Guesses spread over many clients are caught by the address count, whose threshold is
 * much higher and whose answer is `captcha_required`, not a lock the owner is told about.
 */
export interface Throttles {
  client: ThrottleState;
  address: ThrottleState;
}

/** What a refusal says, and whether the attempt carries a CAPTCHA the gateway verified. */
export interface RefusalOptions {
  /** The detail of the client's lock (423). */
  locked: string;
  /** The detail of `captcha_required` (403): what the client can do about it on this route. */
  captcha: string;
  /** A verified CAPTCHA lets the attempt past the address-wide count (never past the client's lock). */
  captchaSolved?: boolean;
}

/** The refusal an attempt gets before any password is checked, if any: the client's lock first. */
export function throttleRefusal(throttles: Throttles, now: Date, options: RefusalOptions): AppError | null {
  const lockMs = lockedFor(throttles.client, now);
  if (lockMs > 0) return new AppError('account_locked', options.locked, { retryAfterSeconds: Math.ceil(lockMs / 1000) });
  const captchaMs = options.captchaSolved ? 0 : lockedFor(throttles.address, now);
  if (captchaMs > 0) return new AppError('captcha_required', options.captcha, { retryAfterSeconds: Math.ceil(captchaMs / 1000) });
  return null;
}
