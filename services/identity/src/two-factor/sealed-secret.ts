import type { Sealer } from '@solar/chassis';

type SecretField = 'secret' | 'pendingSecret';

/**
 * Where a TOTP secret is sealed for: its account and field. A sealed secret copied onto another
 * account (or from the pending field to the confirmed one) by someone who can write the database
 * does not open there, so it cannot make that account accept the copier's codes.
 */
const secretContext = (userId: string, field: SecretField) => `identity.users/${userId}/twoFactor.${field}`;

export const sealSecret = (sealer: Sealer, userId: string, field: SecretField, secret: string) =>
  sealer.seal(secret, secretContext(userId, field));

/**
 * Secrets sealed before contexts existed still open (production holds such values); they are bound
 * to no account, so sign-in re-seals them in the current format, and `npm run secrets:reseal` does
 * the rest once (docs/operations.md, key rotation).
 *
 * Null when the secret does not open here: copied from another account or field, altered, or sealed
 * with a key the ring no longer holds. It then matches no code (matchTotp), so the owner is told the
 * code is wrong and can go on with a recovery code or the emailed reset, instead of a server error.
 */
export function openSecret(sealer: Sealer, userId: string, field: SecretField, sealed: string): string | null {
  try {
    return sealer.open(sealed, secretContext(userId, field), { legacy: true });
  } catch {
    return null;
  }
}
