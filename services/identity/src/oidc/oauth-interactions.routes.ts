import { Router, type RequestHandler } from 'express';
import { INTERACTION_PROOF_HEADER, OAuthInteractionParams } from '@solar/contracts';
import { authOf } from '../auth/authenticate';
import type { oauthInteractions } from './oauth-interactions.use-case';

export function oauthInteractionRoutes(deps: { interactions: ReturnType<typeof oauthInteractions>; authenticate: RequestHandler }): Router {
  const router = Router();
  router.get('/oauth/interactions/:uid', deps.authenticate, async (req, res) => {
    const { uid } = OAuthInteractionParams.parse(req.params);
    res.set('cache-control', 'no-store').json(await deps.interactions.describe(uid));
  });
  router.post('/oauth/interactions/:uid/login', deps.authenticate, async (req, res) => {
    const { uid } = OAuthInteractionParams.parse(req.params);
    res.json(await deps.interactions.signIn(uid, authOf(req), req.get(INTERACTION_PROOF_HEADER)));
  });
  router.post('/oauth/interactions/:uid/consent', deps.authenticate, async (req, res) => {
    const { uid } = OAuthInteractionParams.parse(req.params);
    res.json(await deps.interactions.consent(uid, authOf(req), req.get(INTERACTION_PROOF_HEADER)));
  });
  router.post('/oauth/interactions/:uid/deny', deps.authenticate, async (req, res) => {
    const { uid } = OAuthInteractionParams.parse(req.params);
    res.json(await deps.interactions.deny(uid, req.get(INTERACTION_PROOF_HEADER)));
  });
  return router;
}
