import type { RequestHandler } from 'express';
import { bearerToken, type AccessTokenVerifier } from '../auth/access-token-verifier';
import type { SessionCheck } from '../auth/session-introspection';
import type { Logger } from '../logger';
import { AppError } from './app-error';

/**
 * Defence in depth: a service checks the caller itself rather than trusting that a request
 * came through the gateway. No token or a bad one → 401; a valid token without the admin role, or
 * for an address not verified when it was issued, → 403 (a role on an unverified address may be a
 * squatter's, and tokens from before the `email_verified` claim count as unverified). A valid
 * signature is not enough: the session must still stand (a logged-out or reuse-revoked admin is
 * refused at once, not at `exp`) and the role is the user's now (a demotion counts), both asked of
 * identity (`session`); 503 when identity cannot answer.
 */
export function requireAdmin(verify: AccessTokenVerifier, logger: Logger, session: SessionCheck): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new AppError('unauthorized', 'An access token is required');
    const caller = await verify(token);
    // The token's roles first: a user who never was an admin costs identity no request.
    if (!caller.roles.includes('admin')) {
      logger.warn({ userId: caller.userId }, 'non-admin caller refused on an admin route');
      throw new AppError('forbidden', 'This needs the admin role');
    }
    if (!caller.emailVerified) {
      logger.warn({ userId: caller.userId }, 'admin caller with an unverified address refused on an admin route');
      throw new AppError('forbidden', 'This needs the admin role on a verified address');
    }
    const { roles } = await session(token);
    if (!roles.includes('admin')) {
      logger.warn({ userId: caller.userId }, 'caller no longer an admin refused on an admin route');
      throw new AppError('forbidden', 'This needs the admin role');
    }
    next();
  };
}
