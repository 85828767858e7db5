import { createEvent, type Locale } from '@solar/contracts';
import { issueOneTimeToken, type StoredToken } from '../tokens/one-time-token';

/** A fresh verification token and the email request that carries its link (the token is only there). */
export function verificationEmail(input: { userId: string; email: string; locale: Locale; now: Date; ttlMs: number; linkBase: string }) {
  const token = issueOneTimeToken(input.now, input.ttlMs);
  const link = new URL('/verify-email', input.linkBase);
  link.searchParams.set('token', token.value);
  const stored: StoredToken = { hash: token.hash, purpose: 'verify-email', expiresAt: token.expiresAt, usedAt: null, createdAt: input.now };
  const event = createEvent('EmailRequested', {
    source: '/identity',
    subject: input.userId,
    time: input.now,
    data: {
      template: 'verify-email',
      to: input.email,
      locale: input.locale,
      userId: input.userId,
      variables: { link: link.toString(), expiresAt: token.expiresAt.toISOString() },
    },
  });
  return { token: stored, event };
}
