import type { RequestHandler } from 'express';
import type { Feature } from '@solar/chassis';
import type { IdentityContext } from '../identity-context';
import { appAccessRoutes } from './oauth-apps.routes';
import { appAccess } from './oauth-apps.use-case';
import { oauthClientRoutes } from './oauth-clients.routes';
import { oauthClients } from './oauth-clients.use-case';
import { oauthInteractionRoutes } from './oauth-interactions.routes';
import { oauthInteractions } from './oauth-interactions.use-case';
import { DISCOVERY_PATH, interactionCookieCheck } from './oidc-provider';
import { providerTokenRoutes } from './provider-token.routes';

const isProviderPath = (path: string) => path === DISCOVERY_PATH || path.startsWith('/oauth2/');

/**
 * The OpenID Connect provider (docs/oidc.md) and the API the account pages complete its sign-in and
 * consent with. The provider's endpoints are mounted before identity's body parsers (`early`), since
 * oidc-provider reads the bodies itself and answers in the OAuth error format.
 */
export function oidcFeature(
  ctx: Pick<
    IdentityContext,
    'config' | 'provider' | 'providerTokens' | 'models' | 'clients' | 'consents' | 'sessions' | 'twoFactor' | 'requireUser' | 'clock'
  >,
): { feature: Feature; early: RequestHandler } {
  const { provider } = ctx;
  const callback = provider.callback();
  const early: RequestHandler = (req, res, next) => {
    if (!isProviderPath(req.path)) {
      next();
      return;
    }
    callback(req, res).catch(next);
  };
  const routes = oauthInteractionRoutes({
    interactions: oauthInteractions({
      provider,
      sessions: ctx.sessions,
      twoFactor: ctx.twoFactor,
      consents: ctx.consents,
      clock: ctx.clock,
      startedHere: interactionCookieCheck(ctx.config.DATA_ENCRYPTION_KEYS),
    }),
    authenticate: ctx.requireUser,
  });
  const admin = oauthClientRoutes({
    clients: oauthClients({ provider, clients: ctx.clients, models: ctx.models, clock: ctx.clock }),
    authenticate: ctx.requireUser,
  });
  const apps = appAccessRoutes({ apps: appAccess(ctx), authenticate: ctx.requireUser });
  const internal = providerTokenRoutes({ lookup: ctx.providerTokens });
  return { feature: { routes: (app) => app.use(routes, admin, apps, internal) }, early };
}
