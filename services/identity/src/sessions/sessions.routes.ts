import { Router } from 'express';
import { AppError } from '@solar/chassis';
import { SESSION_INTROSPECTION_PATH, SessionParams, type SessionIntrospection, type SessionList } from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { contextOf } from '../http/request-context';
import type { listSessions, revokeSession } from './logout.use-case';

export function sessionsRoutes(deps: {
  list: ReturnType<typeof listSessions>;
  revoke: ReturnType<typeof revokeSession>;
  /** The user's roles as stored now; null once the user is gone. */
  currentRoles: (userId: string) => Promise<string[] | null>;
  /** Whether the session's sign-in is within ADMIN_REAUTH_WINDOW, for the other services' admin actions. */
  signedInRecently: (session: { sessionId: string; userId: string }) => Promise<boolean>;
  reauthWindowSeconds: number;
  authenticate: ReturnType<typeof authenticate>;
}): Router {
  const router = Router();
  router.get('/users/me/sessions', deps.authenticate, async (req, res) => {
    const auth = authOf(req);
    const sessions = await deps.list(auth.userId);
    res.json({
      sessions: sessions.map((s) => ({
        id: s.id,
        userAgent: s.userAgent,
        ip: s.ip,
        createdAt: s.createdAt.toISOString(),
        lastUsedAt: s.lastUsedAt.toISOString(),
        expiresAt: s.expiresAt.toISOString(),
        current: s.id === auth.sessionId,
      })),
    } satisfies SessionList);
  });
  router.delete('/users/me/sessions/:id', deps.authenticate, async (req, res) => {
    const { id } = SessionParams.parse(req.params);
    await deps.revoke({ userId: authOf(req).userId, sessionId: id, context: contextOf(req) });
    res.status(204).end();
  });
  // For the other services' admin routes (chassis requireAdmin): `authenticate` has already refused
  // a token whose session was logged out, revoked or expired; the roles are read now, so a demotion
  // counts before the token expires. Not under any prefix the gateway routes.
  router.get(SESSION_INTROSPECTION_PATH, deps.authenticate, async (req, res) => {
    const auth = authOf(req);
    const roles = await deps.currentRoles(auth.userId);
    if (!roles) throw new AppError('unauthorized', 'The session has ended');
    const answer: SessionIntrospection = {
      userId: auth.userId,
      sessionId: auth.sessionId,
      roles,
      signedInRecently: await deps.signedInRecently(auth),
      reauthWindowSeconds: deps.reauthWindowSeconds,
    };
    res.set('cache-control', 'no-store').json(answer);
  });
  return router;
}
