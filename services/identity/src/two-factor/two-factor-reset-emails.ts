import { createEvent, type Locale } from '@solar/contracts';
import type { PendingReset } from './pending-reset';

const SOURCE = '/identity';

/**
 * The email at the start of the delay: when two-factor turns off, and where to cancel. The link is
 * the web app's security settings, where a signed-in owner cancels (DELETE /auth/2fa/reset).
 */
export function resetScheduledEmail(user: { id: string; email: string; locale: Locale }, reset: PendingReset, appUrl: string) {
  const cancelLink = new URL('/settings/security', appUrl);
  cancelLink.searchParams.set('cancel-two-factor-reset', '1');
  return createEvent('EmailRequested', {
    source: SOURCE,
    subject: user.id,
    time: reset.confirmedAt,
    data: {
      template: 'two-factor-reset-scheduled',
      to: user.email,
      locale: user.locale,
      userId: user.id,
      variables: { effectiveAt: reset.effectiveAt.toISOString(), cancelLink: cancelLink.toString() },
    },
  });
}

/** The owner's notice that a pending reset will not happen (cancelled, or voided by a password change). */
export function resetCancelledEmail(user: { id: string; email: string; locale: Locale }, now: Date) {
  return createEvent('EmailRequested', {
    source: SOURCE,
    subject: user.id,
    time: now,
    data: { template: 'two-factor-reset-cancelled', to: user.email, locale: user.locale, userId: user.id, variables: {} },
  });
}
