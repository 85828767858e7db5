import { Router, type RequestHandler } from 'express';
import { OAuthClientMetadata, OAuthClientParams, type OAuthClientList } from '@solar/contracts';
import { requireRole } from '../auth/authenticate';
import type { oauthClients } from './oauth-clients.use-case';

export function oauthClientRoutes(deps: { clients: ReturnType<typeof oauthClients>; authenticate: RequestHandler }): Router {
  const router = Router();
  router.use('/admin/oauth/clients', deps.authenticate, requireRole('admin'));
  router.post('/admin/oauth/clients', async (req, res) => {
    const body = OAuthClientMetadata.parse(req.body);
    res
      .status(201)
      .set('cache-control', 'no-store')
      .json(await deps.clients.register(body));
  });
  router.get('/admin/oauth/clients', async (_req, res) => {
    res.json({ items: await deps.clients.list() } satisfies OAuthClientList);
  });
  router.get('/admin/oauth/clients/:id', async (req, res) => {
    res.json(await deps.clients.get(OAuthClientParams.parse(req.params).id));
  });
  router.put('/admin/oauth/clients/:id', async (req, res) => {
    const { id } = OAuthClientParams.parse(req.params);
    res.json(await deps.clients.update(id, OAuthClientMetadata.parse(req.body)));
  });
  router.delete('/admin/oauth/clients/:id', async (req, res) => {
    await deps.clients.remove(OAuthClientParams.parse(req.params).id);
    res.status(204).end();
  });
  router.post('/admin/oauth/clients/:id/secret', async (req, res) => {
    const { id } = OAuthClientParams.parse(req.params);
    res.set('cache-control', 'no-store').json(await deps.clients.rotateSecret(id));
  });
  return router;
}
