import type { Request, RequestHandler } from 'express';
import { bearerToken, type AccessTokenVerifier } from '../auth/access-token-verifier';
import type { SessionCheck } from '../auth/session-introspection';
import type { Logger } from '../logger';
import { AppError } from './app-error';

/** The admin each request was let through for, by `requireAdmin`. */
const admins = new WeakMap<Request, string>();

/** The user id of the admin `requireAdmin` let through, for what an action records of who took it. */
export function adminIdOf(req: Request): string {
  const adminId = admins.get(req);
  if (adminId === undefined) throw new Error('adminIdOf: requireAdmin is not mounted before this handler');
  return adminId;
}

/**
 * Defence in depth: a service checks the caller itself rather than trusting that a request
 * came through the gateway. No token or a bad one → 401; a valid token without the admin role, or
 * for an address not verified when it was issued, → 403 (a role on an unverified address may be a
 * squatter's, and tokens from before the `email_verified` claim count as unverified). A valid
 * signature is not enough: the session must still stand (a logged-out or reuse-revoked admin is
 * refused at once, not at `exp`) and the role is the user's now (a demotion counts), both asked of
 * identity (`session`); 503 when identity cannot answer. With `recentSignIn`, an action also wants the
 * session signed into within identity's ADMIN_REAUTH_WINDOW, as identity's own admin actions do
 * (403 `reauthentication_required`); checked after the role, so only an admin learns of it.
 */
export function requireAdmin(
  verify: AccessTokenVerifier,
  logger: Logger,
  session: SessionCheck,
  options: { recentSignIn?: boolean } = {},
): RequestHandler {
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
    const standing = await session(token);
    if (!standing.roles.includes('admin')) {
      logger.warn({ userId: caller.userId }, 'caller no longer an admin refused on an admin route');
      throw new AppError('forbidden', 'This needs the admin role');
    }
    if (options.recentSignIn && !standing.signedInRecently) {
      throw new AppError('reauthentication_required', 'This needs a recent sign-in: sign in again, then repeat the action', {
        ...(standing.reauthWindowSeconds === undefined ? {} : { maxAgeSeconds: standing.reauthWindowSeconds }),
      });
    }
    admins.set(req, caller.userId);
    next();
  };
}
