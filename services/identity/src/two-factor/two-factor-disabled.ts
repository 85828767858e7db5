import { createEvent, type Locale } from '@solar/contracts';

/**
 * What turning two-factor off announces, however it happens: the event and the owner's notice (an
 * admin's reset tells the owner who did it).
 */
export function twoFactorDisabledEvents(
  user: { id: string; email: string; locale: Locale },
  now: Date,
  template: 'two-factor-disabled' | 'two-factor-reset-by-admin' = 'two-factor-disabled',
) {
  return [
    createEvent('TwoFactorDisabled', { source: '/identity', subject: user.id, time: now, data: { userId: user.id, method: 'totp' } }),
    createEvent('EmailRequested', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { template, to: user.email, locale: user.locale, userId: user.id, variables: {} },
    }),
  ];
}
