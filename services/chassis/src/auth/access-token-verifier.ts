import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../http/app-error';

export interface AccessTokenSettings {
  /** Identity's published keys, e.g. http://identity:3001/.well-known/jwks.json. */
  jwksUrl: string;
  issuer: string;
  audience: string;
  /** Least time between two fetches of the key set (jose's cooldown); default 30 s. */
  refetchCooldownMs?: number;
}

export interface VerifiedCaller {
  userId: string;
  roles: string[];
}

export type AccessTokenVerifier = (token: string) => Promise<VerifiedCaller>;

/** The algorithms identity signs with; anything else (`none`, HS256 with a public key as secret) is refused. */
const ALGORITHMS = ['EdDSA', 'ES256'];

/**
 * Checks an identity access token as identity itself does (issuer, audience, `typ: at+jwt`,
 * algorithms, expiry), against the key set identity publishes. jose caches the keys and refetches
 * on an unknown `kid`, at most once per cooldown, so identity's key rotation needs nothing here and
 * a stream of forged key ids costs identity one fetch per cooldown.
 * Failures are AppErrors: `unauthorized` for the token, `service_unavailable` when the keys cannot be read.
 */
export function accessTokenVerifier(settings: AccessTokenSettings, keys?: JWTVerifyGetKey): AccessTokenVerifier {
  const keySet =
    keys ??
    createRemoteJWKSet(new URL(settings.jwksUrl), {
      cooldownDuration: settings.refetchCooldownMs ?? 30_000,
      timeoutDuration: 2_000,
    });
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, keySet, {
        issuer: settings.issuer,
        audience: settings.audience,
        algorithms: ALGORITHMS,
        typ: 'at+jwt',
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      const { sub, roles } = payload;
      if (typeof sub !== 'string' || !Array.isArray(roles)) throw new errors.JWTInvalid('claims missing');
      return { userId: sub, roles: roles.filter((role): role is string => typeof role === 'string') };
    } catch (error) {
      if (keySetUnavailable(error))
        throw new AppError('service_unavailable', 'Access tokens cannot be checked right now', { retryAfterSeconds: 5 });
      throw new AppError('unauthorized', 'The access token is missing, invalid or expired');
    }
  };
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when there is none in that form. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header ?? '')?.[1];
}

/**
 * The key set could not be read (identity down, a network error, a bad answer): the caller's token
 * may be fine, so this is our outage (503), not their failure (401). Every other jose error is a
 * subclass of JOSEError describing the token itself.
 */
function keySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  if (error instanceof errors.JOSEError) return error.constructor === errors.JOSEError;
  return true;
}
