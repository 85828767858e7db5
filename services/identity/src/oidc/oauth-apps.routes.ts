import { Router, type RequestHandler } from 'express';
import { AppAccessParams } from '@solar/contracts';
import { authOf } from '../auth/authenticate';
import type { appAccess } from './oauth-apps.use-case';

export function appAccessRoutes(deps: { apps: ReturnType<typeof appAccess>; authenticate: RequestHandler }): Router {
  const router = Router();
  router.get('/users/me/apps', deps.authenticate, async (req, res) => {
    res.json(await deps.apps.list(authOf(req).userId));
  });
  router.delete('/users/me/apps/:clientId', deps.authenticate, async (req, res) => {
    const { clientId } = AppAccessParams.parse(req.params);
    await deps.apps.revoke(authOf(req).userId, clientId);
    res.status(204).end();
  });
  return router;
}
