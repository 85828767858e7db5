import type { RequestHandler } from 'express';
import { AppError } from '@solar/chassis';
import { authOf } from '../auth/authenticate';
import type { SessionRepository } from '../sessions/session.repository';

export interface RecentSignInSettings {
  sessions: Pick<SessionRepository, 'signedInAt'>;
  windowMs: number;
  clock: () => Date;
}

/**
 * Whether the live session was signed into within `windowMs`: a session is opened only by a sign-in
 * with every factor (password, and the second one when on), and refreshing keeps its sign-in time.
 * Session introspection answers it too, so the other services' admin actions judge by this one clock.
 */
export function signedInRecently(deps: RecentSignInSettings) {
  return async (sessionId: string, userId: string): Promise<boolean> => {
    const signedInAt = await deps.sessions.signedInAt(sessionId, userId);
    return signedInAt !== null && deps.clock().getTime() - signedInAt.getTime() <= deps.windowMs;
  };
}

/** Wants a recent sign-in; mounted after `requireRole`, so only an admin learns that a fresh sign-in would let them through. */
export function requireRecentSignIn(deps: RecentSignInSettings): RequestHandler {
  const recent = signedInRecently(deps);
  return async (req, _res, next) => {
    const auth = authOf(req);
    if (!(await recent(auth.sessionId, auth.userId))) {
      throw new AppError('reauthentication_required', 'This needs a recent sign-in: sign in again, then repeat the action', {
        maxAgeSeconds: Math.floor(deps.windowMs / 1000),
      });
    }
    next();
  };
}
