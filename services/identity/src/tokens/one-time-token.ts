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

export type TokenPurpose = 'verify-email' | 'password-reset' | 'two-factor-reset' | 'email-change' | 'email-change-undo';

export interface StoredToken {
  hash: string;
  purpose: TokenPurpose;
  expiresAt: Date;
  usedAt: Date | null;
  createdAt: Date;
  /** An email change's address: the new one (`email-change`), or the one to restore (`email-change-undo`). */
  email?: string;
}

export type TokenRefusal = 'token_malformed' | 'token_invalid' | 'token_expired' | 'token_used';

/**
 * Why a presented token cannot be redeemed, or null if it can. Each reason has its own stable code:
 * they tell the owner of a real link what to do next, and reveal nothing to someone guessing, since
 * only a token that was really issued can be expired or used.
 */
export function refusalOf(presented: string, stored: StoredToken | undefined, now: Date): TokenRefusal | null {
  if (!TOKEN_PATTERN.test(presented)) return 'token_malformed';
  if (!stored) return 'token_invalid';
  if (stored.usedAt) return 'token_used';
  if (stored.expiresAt.getTime() <= now.getTime()) return 'token_expired';
  return null;
}
