import type { Request, RequestHandler } from 'express';
import { AppError, bearerToken } from '@solar/chassis';
import type { AccessClaims, AccessTokens } from '../tokens/access-tokens';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AccessClaims;
  }
}

/**
 * Checks the bearer token (the gateway checked it too: defence in depth) and that its session is
 * still live, so logout and revocation take effect here at once rather than at token expiry.
 */
export function authenticate(
  tokens: AccessTokens,
  sessions: { isActive(sessionId: string, userId: string): Promise<boolean> },
): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new AppError('unauthorized', 'A bearer access token is required');
    const claims = await tokens.verify(token);
    if (!(await sessions.isActive(claims.sessionId, claims.userId))) throw new AppError('unauthorized', 'The session has ended');
    req.auth = claims;
    next();
  };
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
