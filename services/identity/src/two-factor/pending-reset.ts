import type { PendingTwoFactorReset } from '@solar/contracts';

/** A two-factor reset confirmed from the mailbox, waiting out its delay. */
export interface PendingReset {
  confirmedAt: Date;
  /** From then, the first sign-in with the password turns two-factor off (unless cancelled first). */
  effectiveAt: Date;
}

export function scheduleReset(now: Date, delayMs: number): PendingReset {
  return { confirmedAt: now, effectiveAt: new Date(now.getTime() + delayMs) };
}

/** Due at its effectiveAt exactly: the emails announce that instant, and a sign-in then must not still ask for the factor. */
export function isResetDue(reset: PendingReset | null, now: Date): reset is PendingReset {
  return reset !== null && reset.effectiveAt.getTime() <= now.getTime();
}

export function pendingResetView(reset: PendingReset): PendingTwoFactorReset {
  return { confirmedAt: reset.confirmedAt.toISOString(), effectiveAt: reset.effectiveAt.toISOString() };
}
