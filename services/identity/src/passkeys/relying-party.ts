import { AppError } from '@solar/chassis';
import type { KeyKind } from '../sessions/session-issuer';
import type { StoredPasskey } from './passkey.repository';

export interface RelyingParty {
  id: string;
  name: string;
  origins: string[];
  challengeTtlMs: number;
}

export const challengeInvalid = () =>
  new AppError('passkey_challenge_invalid', 'The passkey challenge is unknown, used or expired: ask for new options');

/**
 * The challenge an answer claims to answer, from its clientDataJSON; null when that is not readable.
 * It only finds the stored challenge: the library checks it (and the rest of clientDataJSON) again.
 */
export function claimedChallenge(clientDataJSON: string): string | null {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (data as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 ? challenge : null;
  } catch {
    return null;
  }
}

/** A synced passkey is a software-secured key (`swk`); one that never leaves its authenticator a hardware-secured key (`hwk`). */
export const keyKindOf = (passkey: Pick<StoredPasskey, 'deviceType' | 'backedUp'>): KeyKind =>
  passkey.deviceType === 'singleDevice' && !passkey.backedUp ? 'hwk' : 'swk';

export const passkeyView = (passkey: StoredPasskey) => ({
  id: passkey.id,
  name: passkey.name,
  createdAt: passkey.createdAt.toISOString(),
  lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  deviceType: passkey.deviceType,
  backedUp: passkey.backedUp,
  transports: passkey.transports,
});
