import type { PendingReset } from './pending-reset';
import type { TwoFactorState } from './two-factor.model';

/** What signing in with the right password must know: whether to ask for a code, and any reset pending. */
export interface SignInGate {
  on: boolean;
  reset: PendingReset | null;
}

/** The fields of an account the gate is read from, to add to a read's projection. */
export const SIGN_IN_GATE = { 'twoFactor.enabledAt': 1, 'twoFactor.reset': 1 } as const;

export function signInGateOf(doc: { twoFactor?: Partial<Pick<TwoFactorState, 'enabledAt' | 'reset'>> | undefined } | null): SignInGate {
  const on = Boolean(doc?.twoFactor?.enabledAt);
  return { on, reset: on ? (doc?.twoFactor?.reset ?? null) : null };
}
