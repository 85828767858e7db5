import { createHmac, timingSafeEqual } from 'node:crypto';
import { freshTimestamp, refused, verified, type Verification } from './webhook-verification';

/**
 * Mailgun's webhook signature: hex HMAC-SHA256 of `timestamp + token` under the webhook signing key,
 * compared in constant time. Replayed tokens are the caller's concern (they need storage).
 */
export function verifyMailgunSignature(input: {
  signingKey: string;
  timestamp: string | undefined;
  token: string | undefined;
  signature: string | undefined;
  now: Date;
  maxSkewMs: number;
}): Verification {
  if (!input.token || !input.signature) return refused('token or signature missing');
  const fresh = freshTimestamp(input.timestamp, input.now, input.maxSkewMs);
  if (!fresh.ok) return fresh;
  const expected = createHmac('sha256', input.signingKey)
    .update(`${input.timestamp ?? ''}${input.token}`)
    .digest();
  const given = /^[0-9a-f]{64}$/i.test(input.signature) ? Buffer.from(input.signature, 'hex') : null;
  // Lengths are public (a fixed 32 bytes), so only the content comparison needs to be constant-time.
  return given && timingSafeEqual(given, expected) ? verified : refused('signature does not match');
}
