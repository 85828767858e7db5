import type { RequestHandler } from 'express';
import type { Feature } from '@solar/chassis';
import type { KoaContextWithOIDC, Provider } from 'oidc-provider';
import type { IdentityContext } from '../identity-context';
import { appAccessRoutes } from './oauth-apps.routes';
import { appAccess } from './oauth-apps.use-case';
import { oauthClientRoutes } from './oauth-clients.routes';
import { oauthClients } from './oauth-clients.use-case';
import { oauthInteractionRoutes } from './oauth-interactions.routes';
import { oauthInteractions } from './oauth-interactions.use-case';
import { DISCOVERY_PATH, JWKS_PATH, interactionCookieCheck } from './oidc-provider';
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
    | 'config'
    | 'accessTokens'
    | 'provider'
    | 'providerTokens'
    | 'models'
    | 'clients'
    | 'consents'
    | 'sessions'
    | 'users'
    | 'twoFactor'
    | 'requireUser'
    | 'clock'
  >,
): { feature: Feature; early: RequestHandler } {
  const { provider } = ctx;
  provider.use(endSignInOnLogout(ctx));
  const callback = provider.callback();
  const early: RequestHandler = (req, res, next) => {
    if (!isProviderPath(req.path)) {
      next();
      return;
    }
    // Identity's key set, public-only keys included (one published ahead of use, or kept after it
    // signed its last token): the provider holds only the keys it signs with.
    if (req.method === 'GET' && req.path === JWKS_PATH) {
      // Public keys, open to every page as the provider's own JWKS answer is (docs/oidc.md, CORS).
      res.set({ 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' }).json(ctx.accessTokens.jwks());
      return;
    }
    callback(req, res).catch(next);
  };
  const routes = oauthInteractionRoutes({
    interactions: oauthInteractions({
      provider,
      sessions: ctx.sessions,
      users: ctx.users,
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

/**
 * RP-initiated logout, after the provider answered. "Sign out" (`logout=yes`) ends the OIDC session
 * and with it the identity session that signed it in: one notion of a session, so the account pages
 * sign out too and every token issued under it ends (SessionRepository.revoke). "Stay signed in" ends
 * the app's tokens of this session: oidc-provider would keep those of an `offline_access` grant, but
 * the user asked to sign out of that app.
 */
function endSignInOnLogout(ctx: Pick<IdentityContext, 'models' | 'sessions'>): Parameters<Provider['use']>[0] {
  return async (koa, next) => {
    await next();
    const oidc = (koa as Partial<KoaContextWithOIDC>).oidc;
    if (oidc?.route !== 'end_session_confirm' || koa.status !== 303 || !oidc.session) return;
    if (!oidc.params?.['logout']) {
      if (oidc.client) await ctx.models.endClientSession(oidc.session.uid, oidc.client.clientId);
      return;
    }
    const link = await ctx.models.linkOf(oidc.session.uid);
    if (link) await ctx.sessions.revoke(link.sessionId, link.userId, 'logout');
  };
}
