import type { Request, RequestHandler } from 'express';
import { providerScopesFor } from '@solar/contracts';
import {
  AppError,
  bearerToken,
  problemFromError,
  sendProblem,
  type AccessTokenVerifier,
  type ProviderTokenCheck,
  type VerifiedCaller,
} from '@solar/chassis';
import { stripIdentityHeaders } from './identity-headers';
import { isPublicPath } from './public-routes';

declare module 'express-serve-static-core' {
  interface Request {
    /** The verified subject of the request's access token, on protected routes. */
    caller?: VerifiedCaller;
    /** Why a protected route has no caller; answered once the rate limits have counted the request. */
    callerRefusal?: { error: AppError; invalidToken: boolean };
  }
}

/** Identity's own access tokens are JWTs (three base64url parts); the OpenID Connect provider's are opaque. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;
/**
 * oidc-provider's opaque tokens: 256 random bits as 43 base64url characters (its default
 * `formats.bitsOfOpaqueRandomness`). Anything else is refused here, so garbage costs identity nothing.
 */
const PROVIDER_TOKEN_SHAPE = /^[\w-]{43}$/;

function callerOf(token: string, verify: AccessTokenVerifier, providerToken: ProviderTokenCheck): Promise<VerifiedCaller> {
  if (JWT_SHAPE.test(token)) return verify(token);
  if (PROVIDER_TOKEN_SHAPE.test(token)) return providerCaller(providerToken, token);
  return Promise.reject(new AppError('unauthorized', 'The access token is malformed'));
}

/**
 * The caller an access token of the OpenID Connect provider speaks for. It never carries the
 * account's roles: an app acts for the account on the few operations its scopes reach, never as an admin.
 */
async function providerCaller(check: ProviderTokenCheck, token: string): Promise<VerifiedCaller> {
  const { userId, clientId, scopes, emailVerified } = await check(token);
  if (userId === null) throw new AppError('insufficient_scope', 'A client-credentials token speaks for no account');
  return { userId, roles: [], emailVerified, client: { clientId, scopes } };
}

/**
 * Verifies the access token of a request to a protected route and records the outcome without
 * answering yet: the rate limits come next and count refused requests too (per user once verified,
 * per address otherwise), so a flood of forged tokens meets the same limits as any other.
 * A JWT is checked against identity's keys; any other token is asked about at identity, as one
 * of its OpenID Connect provider's (a short cache bounds how late a revocation counts).
 * Identity headers a client sent are dropped on every route.
 */
export function identifyCaller(verify: AccessTokenVerifier, providerToken: ProviderTokenCheck): RequestHandler {
  return async (req, _res, next) => {
    stripIdentityHeaders(req.headers);
    if (isPublicPath(req.path)) return next();
    const header = req.get('authorization');
    const token = bearerToken(header);
    if (!token) {
      // A Bearer header that is not a token is a bad token; no header (or another scheme) is a missing one.
      req.callerRefusal = /^bearer\s/i.test(header ?? '')
        ? { error: new AppError('unauthorized', 'The access token is malformed'), invalidToken: true }
        : { error: new AppError('unauthorized', 'An access token is required'), invalidToken: false };
      return next();
    }
    try {
      req.caller = await callerOf(token, verify, providerToken);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      req.callerRefusal = { error, invalidToken: error.code === 'unauthorized' };
    }
    next();
  };
}

/**
 * Answers for protected routes without a verified caller: 401 (RFC 6750 challenge), 503 when
 * identity cannot be asked, 403 `insufficient_scope` for a provider token on an operation its scopes
 * do not reach (every operation without `providerScopes`: password, email, 2FA, sessions, deletion,
 * export, admin).
 */
export const requireCaller: RequestHandler = (req, res, next) => {
  const refusal = req.callerRefusal ?? scopeRefusal(req.caller, req.method, req.path);
  if (!refusal) return next();
  if (refusal.invalidToken) res.setHeader('www-authenticate', 'Bearer realm="solar-accounts", error="invalid_token"');
  if (refusal.error.code === 'insufficient_scope') res.setHeader('www-authenticate', insufficientScope(req.method, req.path));
  sendProblem(res, { ...problemFromError(refusal.error), instance: req.originalUrl });
};

function scopeRefusal(caller: VerifiedCaller | undefined, method: string, path: string): Request['callerRefusal'] {
  if (!caller?.client) return undefined;
  const granted = caller.client.scopes;
  if (providerScopesFor(method, path)?.some((scope) => granted.includes(scope))) return undefined;
  return { error: new AppError('insufficient_scope', 'This access token from an app does not reach this operation'), invalidToken: false };
}

/** RFC 6750 §3: the challenge names the scopes that would reach the operation, when any would. */
function insufficientScope(method: string, path: string): string {
  const scopes = providerScopesFor(method, path);
  return `Bearer realm="solar-accounts", error="insufficient_scope"${scopes ? `, scope="${scopes.join(' ')}"` : ''}`;
}
