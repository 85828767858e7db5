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

/**
 * The header in which the account pages (web) tell identity that a password sign-in is theirs, so it
 * is taken while PASSWORD_GRANT_ENABLED=false refuses apps the password grant: a proof signed with
 * PAGES_SIGN_IN_KEY, bound to the address and a few seconds' lifetime like the CAPTCHA proof.
 */
export const PAGES_PROOF_HEADER = 'x-solar-pages-proof';

/** A shared proof key as a config variable: random, at least 32 characters (`openssl rand -base64 32`). */
export const proofKey = z.preprocess(
  // An empty variable (an env file's `CAPTCHA_PROOF_KEY=`) means unset.
  (value) => (value === '' ? undefined : value),
  z.string().min(32, 'must be at least 32 characters (openssl rand -base64 32)').optional(),
);

type Purpose = 'solar-captcha-proof' | 'solar-pages-proof';

// The purpose is part of what is signed, so a proof for one can never pass for the other.
const mac = (purpose: Purpose, key: string, issuedAt: number, email: string) =>
  createHmac('sha256', key).update(`${purpose}\n${VERSION}\nlogin\n${issuedAt}\n${email}`).digest();

function signProof(purpose: Purpose, key: string, email: string, now: Date): string {
  const issuedAt = now.getTime();
  return `${VERSION}.${issuedAt}.${mac(purpose, key, issuedAt, email).toString('base64url')}`;
}

function isProofValid(purpose: Purpose, key: string, proof: string | undefined, email: string, now: Date): boolean {
  const match = /^v1\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(proof ?? '');
  if (!match) return false;
  const issuedAt = Number(match[1]);
  const age = now.getTime() - issuedAt;
  if (age > MAX_AGE_MS || age < -MAX_AHEAD_MS) return false;
  const given = Buffer.from(match[2]!, 'base64url');
  const expected = mac(purpose, key, issuedAt, email);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The proof for a sign-in to `email` (as contracts' Email field normalizes it) with a verified CAPTCHA. */
export const signCaptchaProof = (key: string, email: string, now: Date) => signProof('solar-captcha-proof', key, email, now);

/** Whether `proof` was signed with `key` for a sign-in to `email` within the last 30 seconds. */
export const isCaptchaProofValid = (key: string, proof: string | undefined, email: string, now: Date) =>
  isProofValid('solar-captcha-proof', key, proof, email, now);

/** The account pages' proof that a password sign-in to `email` is theirs. */
export const signPagesProof = (key: string, email: string, now: Date) => signProof('solar-pages-proof', key, email, now);

/** Whether `proof` was signed with `key` by the pages for a sign-in to `email` within the last 30 seconds. */
export const isPagesProofValid = (key: string, proof: string | undefined, email: string, now: Date) =>
  isProofValid('solar-pages-proof', key, proof, email, now);
