import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * The header in which the gateway tells identity that a sign-in carried a CAPTCHA it verified. A
 * client must never set it: the gateway drops any it receives, and identity believes only a proof
 * signed with CAPTCHA_PROOF_KEY, bound to the address signed in to and a few seconds' lifetime.
 */
export const CAPTCHA_PROOF_HEADER = 'x-solar-captcha-proof';

/** Long enough for one hop from the gateway to identity, with some clock skew between their hosts. */
const MAX_AGE_MS = 30_000;
const MAX_AHEAD_MS = 5_000;
const VERSION = 'v1';

/** The shared key as a config variable: random, at least 32 characters (`openssl rand -base64 32`). */
export const captchaProofKey = z.preprocess(
  // An empty variable (an env file's `CAPTCHA_PROOF_KEY=`) means unset.
  (value) => (value === '' ? undefined : value),
  z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
);

// The purpose is part of what is signed, so a proof for sign-in can never pass for anything else.
const mac = (key: string, issuedAt: number, email: string) =>
  createHmac('sha256', key).update(`solar-captcha-proof\n${VERSION}\nlogin\n${issuedAt}\n${email}`).digest();

/** The proof for a sign-in to `email` (as contracts' Email field normalizes it) with a verified CAPTCHA. */
export function signCaptchaProof(key: string, email: string, now: Date): string {
  const issuedAt = now.getTime();
  return `${VERSION}.${issuedAt}.${mac(key, issuedAt, email).toString('base64url')}`;
}

/** Whether `proof` was signed with `key` for a sign-in to `email` within the last 30 seconds. */
export function isCaptchaProofValid(key: string, proof: string | undefined, email: string, now: Date): boolean {
  const match = /^v1\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(proof ?? '');
  if (!match) return false;
  const issuedAt = Number(match[1]);
  const age = now.getTime() - issuedAt;
  if (age > MAX_AGE_MS || age < -MAX_AHEAD_MS) return false;
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(key, issuedAt, email);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
