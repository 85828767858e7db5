import { createHash, randomBytes } from 'node:crypto';

export interface OneTimeToken {
  /** Goes to the user once (in a link); never stored. */
  value: string;
  /** What is stored and looked up. */
  hash: string;
  expiresAt: Date;
}

/** 256 random bits, URL-safe; only the SHA-256 rests in the database. */
export function issueOneTimeToken(now: Date, ttlMs: number): OneTimeToken {
  const value = randomBytes(32).toString('base64url');
  return { value, hash: hashToken(value), expiresAt: new Date(now.getTime() + ttlMs) };
}

/** A slow hash is not needed: the token has 256 bits of entropy, so SHA-256 cannot be brute-forced. */
export function hashToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Tokens we issue are exactly 43 base64url characters; anything else is refused before any lookup. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
