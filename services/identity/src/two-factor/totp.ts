import { generate, generateSecret, generateURI, verify } from 'otplib';

export interface TotpSettings {
  algorithm: 'sha1' | 'sha256' | 'sha512';
  digits: 6 | 7 | 8;
  /** Seconds per time step. */
  period: number;
}

/** What every common authenticator app understands (several ignore other values in the URI). */
export const TOTP_SETTINGS: TotpSettings = { algorithm: 'sha1', digits: 6, period: 30 };

/** 160 bits, the length RFC 4226 recommends for an HMAC-SHA1 key, as Base32 for authenticator apps. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

export function totpUri(input: { secret: string; account: string; issuer: string }): string {
  return generateURI({ issuer: input.issuer, label: input.account, secret: input.secret, ...TOTP_SETTINGS });
}

const epochOf = (at: Date) => Math.floor(at.getTime() / 1000);

/** The code for the time step containing `at`. The secret is Base32, or raw bytes (the RFC's test seeds). */
export function totpAt(secret: string | Uint8Array, at: Date, settings: TotpSettings = TOTP_SETTINGS): Promise<string> {
  return generate({ secret, epoch: epochOf(at), ...settings });
}

/**
 * The time step a presented code belongs to, or null. One step either side is accepted for clock
 * drift and typing time; steps at or before `afterTimeStep` (the last one used) are refused, so an
 * observed code cannot be replayed, not even within its own 30 seconds.
 */
export async function matchTotp(
  secret: string | null,
  code: string,
  at: Date,
  afterTimeStep: number | null,
  settings: TotpSettings = TOTP_SETTINGS,
): Promise<number | null> {
  // A secret that did not open (openSecret) matches nothing.
  if (secret === null) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: epochOf(at),
    epochTolerance: settings.period,
    ...(afterTimeStep === null ? {} : { afterTimeStep }),
    ...settings,
  });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}
