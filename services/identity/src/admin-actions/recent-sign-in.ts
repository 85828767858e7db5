import type { RequestHandler } from 'express';
import { AppError } from '@solar/chassis';
import { authOf } from '../auth/authenticate';
import type { SessionRepository } from '../sessions/session.repository';

export interface RecentSignInDeps {
  sessions: Pick<SessionRepository, 'signedInAt'>;
  windowMs: number;
  clock: () => Date;
}

/**
 * Whether the session was signed into within `windowMs`: a session is opened only by a sign-in
 * with every factor (password, and the second one when on), and refreshing keeps its sign-in time.
 * Identity's admin actions ask it, and so do the other services' through the session introspection.
 */
export function signedInRecently(deps: RecentSignInDeps) {
  return async (session: { sessionId: string; userId: string }): Promise<boolean> => {
    const signedInAt = await deps.sessions.signedInAt(session.sessionId, session.userId);
    return !!signedInAt && deps.clock().getTime() - signedInAt.getTime() <= deps.windowMs;
  };
}

/** Mounted after `requireRole`, so only an admin learns that a fresh sign-in would let them through. */
export function requireRecentSignIn(deps: RecentSignInDeps): RequestHandler {
  const isRecent = signedInRecently(deps);
  return async (req, _res, next) => {
    if (!(await isRecent(authOf(req)))) {
      throw new AppError('reauthentication_required', 'This needs a recent sign-in: sign in again, then repeat the action', {
        maxAgeSeconds: Math.floor(deps.windowMs / 1000),
      });
    }
    next();
  };
}
