import type { Request, RequestHandler } from 'express';
import { AppError, bearerToken } from '@solar/chassis';
import { providerScopesFor } from '@solar/contracts';
import type { ProviderTokenLookup } from '../oidc/provider-token';
import type { AccessClaims, AccessTokens } from '../tokens/access-tokens';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AccessClaims;
  }
}

/** Identity's own access tokens are JWTs; the OpenID Connect provider's are opaque. */
const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]*$/;

/**
 * Checks the bearer token (the gateway checked it too: defence in depth) and that its session is
 * still live, so logout and revocation take effect here at once rather than at token expiry.
 * An opaque token is the OpenID Connect provider's: it passes only on an operation its scopes
 * reach (the operations' `providerScopes`, as at the gateway), and never with the account's roles.
 */
export function authenticate(
  tokens: AccessTokens,
  sessions: { isActive(sessionId: string, userId: string): Promise<boolean> },
  providerTokens: ProviderTokenLookup,
): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new AppError('unauthorized', 'A bearer access token is required');
    if (!JWT_SHAPE.test(token)) {
      req.auth = appCaller(await providerTokens(token), req.method, `${req.baseUrl}${req.path}`);
      return next();
    }
    const claims = await tokens.verify(token);
    if (!(await sessions.isActive(claims.sessionId, claims.userId))) throw new AppError('unauthorized', 'The session has ended');
    req.auth = claims;
    next();
  };
}

function appCaller(caller: Awaited<ReturnType<ProviderTokenLookup>>, method: string, path: string): AccessClaims {
  const reaches = providerScopesFor(method, path)?.some((scope) => caller.scopes.includes(scope));
  if (!caller.userId || !caller.sessionId || !reaches)
    throw new AppError('insufficient_scope', 'This access token from an app does not reach this operation');
  return { userId: caller.userId, sessionId: caller.sessionId, roles: [], emailVerified: caller.emailVerified, clientId: caller.clientId };
}

/**
 * The role, on a token issued for a verified address: a role on an unverified address may be held
 * by whoever registered it first, not by the mailbox's owner.
 */
export function requireRole(role: string): RequestHandler {
  return (req, _res, next) => {
    if (!req.auth?.roles.includes(role)) throw new AppError('forbidden', `This needs the ${role} role`);
    if (!req.auth.emailVerified) throw new AppError('forbidden', `This needs the ${role} role on a verified address`);
    next();
  };
}

/** The caller, for handlers mounted behind `authenticate`. */
export function authOf(req: Request): AccessClaims {
  if (!req.auth) throw new AppError('unauthorized', 'A bearer access token is required');
  return req.auth;
}
