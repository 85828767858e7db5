import { hkdfSync } from 'node:crypto';
import Keygrip from 'keygrip';
import type { Brand, SealingKey } from '@solar/chassis';
// oidc-provider 9 is ESM-only; identity compiles to CommonJS and Node 24 loads it through require(esm)
// (no top-level await in it). The named export is used: a CommonJS default import would get the namespace.
import { Provider, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { IdentityConfig } from '../config';
import type { SigningJwk } from '../tokens/signing-keys';
import type { UserRepository } from '../users/user.repository';
import { secretMatches, type OAuthClientRepository } from './oauth-client.repository';
import type { OAuthConsentRepository } from './oauth-consent.repository';
import type { OidcModelStore } from './oidc-model.store';
import { logoutPage, renderErrorPage, signedOutPage } from './oidc-pages';

/** Where the provider's endpoints live, under the issuer (the gateway's public origin). */
const OIDC_ROUTES = {
  authorization: '/oauth2/authorize',
  token: '/oauth2/token',
  userinfo: '/oauth2/userinfo',
  jwks: '/oauth2/jwks',
  introspection: '/oauth2/introspect',
  revocation: '/oauth2/revoke',
  end_session: '/oauth2/logout',
} as const;

export const DISCOVERY_PATH = '/.well-known/openid-configuration';
export const JWKS_PATH = OIDC_ROUTES.jwks;

/** The account pages' interaction page (web), where the provider sends the browser to sign in or consent. */
const interactionPath = (uid: string) => `/interaction/${uid}`;

const seconds = (ms: number) => Math.max(1, Math.floor(ms / 1000));

/** Cookie signing keys of their own, derived from the data key ring: rotating the ring rotates them too. */
const cookieKeys = (ring: SealingKey[]) =>
  ring.map(({ key }) => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'solar-accounts oidc cookies', 32)).toString('base64url'));

/**
 * Whether `signature` is that of the `_interaction` cookie the provider set for `uid`: koa's cookies
 * sign `name=value` with keygrip over the same keys, so this is the provider's own check.
 */
export function interactionCookieCheck(ring: SealingKey[]): (uid: string, signature: string | undefined) => boolean {
  const grip = new Keygrip(cookieKeys(ring));
  return (uid, signature) => signature !== undefined && grip.verify(`_interaction=${uid}`, signature);
}

export interface OidcDeps {
  config: Pick<
    IdentityConfig,
    'APP_URL' | 'DATA_ENCRYPTION_KEYS' | 'ACCESS_TOKEN_TTL' | 'SESSION_IDLE_TIMEOUT' | 'SESSION_MAX_AGE' | 'TRUST_PROXY' | 'NODE_ENV'
  >;
  brand: Brand;
  signingKeys: SigningJwk[];
  users: Pick<UserRepository, 'findById'>;
  models: OidcModelStore;
  clients: OAuthClientRepository;
  consents: Pick<OAuthConsentRepository, 'find'>;
}

/** The OpenID Connect provider (docs/oidc.md): code flow with PKCE S256 only, refresh rotation, client credentials. */
export function createOidcProvider(deps: OidcDeps): Provider {
  const { config } = deps;
  const privateKeys = deps.signingKeys.filter((key) => key.d);
  const signing = privateKeys[0];
  if (!signing) throw new Error('no signing key');
  const configuration: Configuration = {
    adapter: (name: string) => (name === 'Client' ? deps.clients.adapter() : deps.models.adapterFor(name)),
    // The same keys as identity's access tokens: one set to rotate; an ID token's issuer and audience set
    // it apart. oidc-provider takes private keys only; its JWKS route is answered with the whole set (index.ts).
    jwks: { keys: privateKeys.map((key) => ({ ...key, use: 'sig' })) },
    enabledJWA: { idTokenSigningAlgValues: [...new Set(privateKeys.map((key) => key.alg))] },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: signing.alg,
    },
    // The hash of the secret stands in its place, so nothing may derive keys from it (client_secret_jwt, HS256).
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    extraClientMetadata: { properties: ['first_party'] },
    responseTypes: ['code'],
    pkce: { required: () => true },
    allowOmittingSingleRegisteredRedirectUri: false,
    scopes: ['openid', 'offline_access', 'email', 'profile'],
    claims: { openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'], profile: ['name', 'locale'] },
    // The ID token carries the email and profile claims the scopes grant, not only `sub`.
    conformIdTokenClaims: false,
    acrValues: ['urn:solar:loa:pwd', 'urn:solar:loa:mfa'],
    findAccount: async (_ctx, sub) => {
      const user = await deps.users.findById(sub);
      // A disabled account's app sign-ins and token refreshes fail as for an unknown one.
      if (!user || user.deletion?.purgeStartedAt || user.disabled) return undefined;
      return {
        accountId: user.id,
        claims: () => ({
          sub: user.id,
          email: user.email,
          email_verified: user.emailVerifiedAt !== null,
          ...(user.displayName ? { name: user.displayName } : {}),
          locale: user.locale,
        }),
      };
    },
    interactions: { url: (_ctx, interaction) => interactionPath(interaction.uid) },
    loadExistingGrant: (ctx) => existingGrant(ctx, deps),
    renderError: renderErrorPage(deps.brand),
    rotateRefreshToken: true,
    clientBasedCORS,
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // A client learns about and revokes only the tokens issued to it.
      introspection: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: async (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: { enabled: true, logoutSource: logoutPage(deps.brand), postLogoutSuccessSource: signedOutPage(deps.brand) },
      userinfo: { enabled: true },
    },
    routes: OIDC_ROUTES,
    cookies: {
      keys: cookieKeys(config.DATA_ENCRYPTION_KEYS),
      long: { signed: true, sameSite: 'lax' },
      short: { signed: true, sameSite: 'lax' },
    },
    ttl: {
      AccessToken: seconds(config.ACCESS_TOKEN_TTL),
      ClientCredentials: seconds(config.ACCESS_TOKEN_TTL),
      AuthorizationCode: 60,
      IdToken: 3600,
      // Long enough to sign in with a second factor, as the mfa_token allows.
      Interaction: 600,
      RefreshToken: seconds(Math.min(config.SESSION_IDLE_TIMEOUT, config.SESSION_MAX_AGE)),
      Session: seconds(config.SESSION_MAX_AGE),
      Grant: seconds(config.SESSION_MAX_AGE),
    },
  };
  const provider = new Provider(new URL(config.APP_URL).origin, configuration);
  // Behind the gateway: its X-Forwarded-Proto and -Host make the URLs the provider builds public ones.
  provider.proxy = config.TRUST_PROXY !== 'false';
  provider.Client.prototype.compareClientSecret = function compare(this: { clientSecret?: string }, actual: string) {
    return secretMatches(this.clientSecret, actual);
  };
  return provider;
}

/**
 * Which browser origins may read the provider's answers to a client's requests (token, revocation,
 * introspection, userinfo; discovery and JWKS are open to all): the origins of the client's own
 * redirect URIs, for a public client (a single-page app) anywhere and for any client at userinfo.
 * A confidential client's secret never belongs in a browser, so its token requests get no CORS.
 * This is oidc-provider's default, spelled out because it is a security decision of ours.
 */
function clientBasedCORS(
  ctx: KoaContextWithOIDC,
  origin: string,
  client: { clientAuthMethod?: string | undefined; redirectUris?: readonly string[] | undefined },
) {
  if (origin === 'null') return false;
  if (ctx.oidc.route !== 'userinfo' && client.clientAuthMethod !== 'none') return false;
  return (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin);
}

/**
 * The grant a request is checked against: the one this session has for the client, else a new one
 * for what the account consented to before (remembered across sessions until taken back), or, for a
 * first-party client, for everything it asks (first-party clients skip consent; oidc-provider's
 * recipe). Scopes it asks beyond those make the provider ask for consent.
 * Run, and awaited, on every authorization: right after a sign-in through the pages it links the
 * OIDC session to the identity session that signed in (`sid` of the sign-in's result).
 */
async function existingGrant(ctx: KoaContextWithOIDC, deps: Pick<OidcDeps, 'models' | 'consents'>) {
  const { client, session, provider } = ctx.oidc;
  if (!client || !session?.accountId) return undefined;
  const signedInBy = ctx.oidc.result?.login?.['sid'];
  if (typeof signedInBy === 'string') await deps.models.linkSession(session.uid, session.accountId, signedInBy);
  const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
  if (grantId) return provider.Grant.find(grantId);
  const requested = [...ctx.oidc.requestParamOIDCScopes];
  const consented =
    client['first_party'] === true ? requested : ((await deps.consents.find(session.accountId, client.clientId))?.scopes ?? []);
  const scopes = requested.filter((scope) => consented.includes(scope));
  if (scopes.length === 0) return undefined;
  const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  grant.addOIDCScope(scopes.join(' '));
  await grant.save();
  return grant;
}
