import type { RequestHandler } from 'express';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Logger } from '../logger';
import { AppError } from './app-error';

/** How a service other than identity checks identity's access tokens (spread into its config). */
export const adminAuthConfigShape = {
  IDENTITY_JWKS_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:3001/.well-known/jwks.json'),
  /** Both as identity signs them; the defaults are identity's. */
  JWT_ISSUER: z.string().min(1).default('solar-accounts'),
  JWT_AUDIENCE: z.string().min(1).default('solar-api'),
};

export interface AccessTokenSettings {
  /** Identity's published keys, e.g. http://identity:3001/.well-known/jwks.json. */
  jwksUrl: string;
  issuer: string;
  audience: string;
}

export interface VerifiedCaller {
  userId: string;
  roles: string[];
}

/** The algorithms identity signs with; anything else (`none`, HS256 with a public key as secret) is refused. */
const ALGORITHMS = ['EdDSA', 'ES256'];

/**
 * Checks an identity access token as identity itself does (issuer, audience, `typ: at+jwt`,
 * algorithms, expiry), against the key set identity publishes. jose caches the keys and refetches
 * on an unknown `kid`, so identity's key rotation needs nothing here.
 */
export function accessTokenVerifier(settings: AccessTokenSettings, keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(settings.jwksUrl))) {
  return async (token: string): Promise<VerifiedCaller> => {
    try {
      const { payload } = await jwtVerify(token, keys, {
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

/**
 * Defence in depth: a service checks the caller itself rather than trusting that a request
 * came through the gateway. No token or a bad one → 401; a valid token without the admin role → 403.
 */
export function requireAdmin(verify: (token: string) => Promise<VerifiedCaller>, logger: Logger): RequestHandler {
  return async (req, _res, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/.exec(req.get('authorization') ?? '');
    if (!match) throw new AppError('unauthorized', 'An access token is required');
    const caller = await verify(match[1]!);
    if (!caller.roles.includes('admin')) {
      logger.warn({ userId: caller.userId }, 'non-admin caller refused on an admin route');
      throw new AppError('forbidden', 'This needs the admin role');
    }
    next();
  };
}
