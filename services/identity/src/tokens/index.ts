import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { jwksRoutes } from './jwks.routes';

/** The published key set the gateway and the other services check access tokens against. */
export function jwksFeature({ accessTokens }: Pick<IdentityContext, 'accessTokens'>): Feature {
  return { routes: (app) => app.use(jwksRoutes(accessTokens)) };
}
