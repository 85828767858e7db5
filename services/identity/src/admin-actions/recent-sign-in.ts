import type { RequestHandler } from 'express';
import { AppError } from '@solar/chassis';
import { authOf } from '../auth/authenticate';
import type { SessionRepository } from '../sessions/session.repository';

/**
 * Wants the caller's session signed into within `windowMs`: a session is opened only by a sign-in
 * with every factor (password, and the second one when on), and refreshing keeps its sign-in time.
 * Mounted after `requireRole`, so only an admin learns that a fresh sign-in would let them through.
 */
export function requireRecentSignIn(deps: {
  sessions: Pick<SessionRepository, 'signedInAt'>;
  windowMs: number;
  clock: () => Date;
}): RequestHandler {
  return async (req, _res, next) => {
    const auth = authOf(req);
    const signedInAt = await deps.sessions.signedInAt(auth.sessionId, auth.userId);
    if (!signedInAt || deps.clock().getTime() - signedInAt.getTime() > deps.windowMs) {
      throw new AppError('reauthentication_required', 'This needs a recent sign-in: sign in again, then repeat the action', {
        maxAgeSeconds: Math.floor(deps.windowMs / 1000),
      });
    }
    next();
  };
}
