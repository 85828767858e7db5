import { createEvent } from '@solar/contracts';

/** What turning two-factor off announces, however it happens: the event and the owner's notice. */
export function twoFactorDisabledEvents(user: { id: string; email: string }, now: Date) {
  return [
    createEvent('TwoFactorDisabled', { source: '/identity', subject: user.id, time: now, data: { userId: user.id, method: 'totp' } }),
    createEvent('EmailRequested', {
      source: '/identity',
      subject: user.id,
      time: now,
      data: { template: 'two-factor-disabled', to: user.email, locale: 'en', userId: user.id, variables: {} },
    }),
  ];
}
