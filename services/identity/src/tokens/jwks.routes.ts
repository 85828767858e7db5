import { Router } from 'express';
import type { AccessTokens } from './access-tokens';

/** Public keys for anyone verifying our access tokens; cached briefly so a rotation spreads fast. */
export function jwksRoutes(tokens: AccessTokens): Router {
  const router = Router();
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('cache-control', 'public, max-age=300').json(tokens.jwks());
  });
  return router;
}
