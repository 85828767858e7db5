import { Router } from 'express';
import { SessionParams, type SessionList } from '@solar/contracts';
import { authOf, type authenticate } from '../auth/authenticate';
import { contextOf } from '../http/request-context';
import type { listSessions, revokeSession } from './logout.use-case';

export function sessionsRoutes(deps: {
  list: ReturnType<typeof listSessions>;
  revoke: ReturnType<typeof revokeSession>;
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
  return router;
}
