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
 */
export const openSecret = (sealer: Sealer, userId: string, field: SecretField, sealed: string) =>
  sealer.open(sealed, secretContext(userId, field), { legacy: true });
