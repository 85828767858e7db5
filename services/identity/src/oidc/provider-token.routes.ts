import { Router } from 'express';
import { AppError, bearerToken } from '@solar/chassis';
import { PROVIDER_TOKEN_INTROSPECTION_PATH, type ProviderTokenIntrospection } from '@solar/contracts';
import type { ProviderTokenLookup } from './provider-token';

/**
 * For the gateway (chassis `providerTokenIntrospector`): whom a live access token of the provider
 * speaks for. The token is the request's credential, as at `/internal/session`; an unknown, expired
 * or revoked one is 401. Not under any prefix the gateway routes.
 */
export function providerTokenRoutes(deps: { lookup: ProviderTokenLookup }): Router {
  const router = Router();
  router.get(PROVIDER_TOKEN_INTROSPECTION_PATH, async (req, res) => {
    const token = bearerToken(req.get('authorization'));
    if (!token) throw new AppError('unauthorized', 'A bearer access token is required');
    const { userId, clientId, scopes, emailVerified } = await deps.lookup(token);
    res.set('cache-control', 'no-store').json({ userId, clientId, scopes, emailVerified } satisfies ProviderTokenIntrospection);
  });
  return router;
}
