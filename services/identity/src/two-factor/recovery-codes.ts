import { createHash, randomInt } from 'node:crypto';

export const RECOVERY_CODE_COUNT = 10;

// Crockford's Base32: no I, L, O or U, so what is read off paper is typed back without confusion.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LENGTH = 16;
const NORMALIZED = /^[0-9a-hjkmnp-tv-z]{16}$/;

/** 16 symbols of 5 bits: 80 random bits each, shown as `xxxx-xxxx-xxxx-xxxx`. */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const symbols = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    return symbols.match(/.{4}/g)!.join('-');
  });
}

/** What the user typed, as the code we issued: case, spaces and dashes ignored, Crockford's look-alikes mapped. Null if it cannot be one. */
export function normalizeRecoveryCode(typed: string): string | null {
  const code = typed.toLowerCase().replace(/[\s-]/g, '').replace(/o/g, '0').replace(/[il]/g, '1');
  return NORMALIZED.test(code) ? code : null;
}

/**
 * SHA-256, not argon2: with 80 random bits a code cannot be found from its hash by guessing, however
 * fast the hash, so a slow one would only cost every sign-in. The user id in the input makes each
 * account's hashes its own, so no table computed once serves against all accounts.
 */
export function hashRecoveryCode(userId: string, normalized: string): string {
  return createHash('sha256').update(`recovery-code:${userId}:${normalized}`, 'utf8').digest('hex');
}
