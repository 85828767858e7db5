import { createEvent, type AnyCloudEvent, type Locale } from '@solar/contracts';

/**
 * What every password change announces, in the same write as the new hash: the public event, and
 * the notice to the owner (whoever changed it, the owner hears of it and can act if it was not them).
 */
export function passwordChangedEvents(
  user: { id: string; email: string; locale: Locale },
  via: 'change' | 'reset',
  now: Date,
): AnyCloudEvent[] {
  return [
    createEvent('PasswordChanged', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { userId: user.id, via, sessionsRevoked: true },
    }),
    createEvent('EmailRequested', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { template: 'password-changed', to: user.email, locale: user.locale, userId: user.id, variables: {} },
    }),
  ];
}
