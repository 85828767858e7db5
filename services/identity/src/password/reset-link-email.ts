import { createEvent, type AnyCloudEvent, type Locale } from '@solar/contracts';
import type { OneTimeToken } from '../tokens/one-time-token';

/** The email that carries a password-reset link; the link is sealed for notification on the way out. */
export function resetLinkEmail(
  user: { id: string; email: string; locale: Locale },
  token: OneTimeToken,
  linkBase: string,
  now: Date,
): AnyCloudEvent {
  const link = new URL('/reset-password', linkBase);
  link.searchParams.set('token', token.value);
  return createEvent('EmailRequested', {
    source: '/identity',
    subject: user.id,
    time: now,
    data: {
      template: 'password-reset',
      to: user.email,
      locale: user.locale,
      userId: user.id,
      variables: { link: link.toString(), expiresAt: token.expiresAt.toISOString() },
    },
  });
}
