import { createHash, randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { apiClient, expectJson, expectProblem } from './support/api-client';
import { freePort } from './support/sasl-kafka';
import { TestStack } from './support/stack';

// Apps call the /v1 API with the access tokens the OpenID Connect provider gave them (docs/oidc.md,
// "Provider tokens at the gateway"): the whole path, code flow through the gateway, identity's
// introspection, the scope table, revocation within the gateway's bound (PROVIDER_TOKEN_CACHE_TTL).

jest.setTimeout(120_000);

const stack = new TestStack('oidc-gateway');
const PASSWORD = 'a long and proper password';
const ADMIN = `admin.${stack.name}@example.test`.toLowerCase();
const REDIRECT_URI = 'https://rp.example.com/callback';
const CACHE_MS = 5_000;

/** The gateway's clock: moved past the cache bound instead of sleeping. */
let gatewayOffsetMs = 0;
/** Identity's clock (its stored models' expiry). */
let identityOffsetMs = 0;
let gatewayUrl: string;
let adminToken: string;
const call = apiClient(stack, () => gatewayUrl);
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests].map((topic) => stack.topic(topic)),
  );
  // The issuer is the gateway's origin, so identity must know it before the gateway listens on it.
  const port = await freePort();
  gatewayUrl = `http://127.0.0.1:${port}`;
  await stack.startIdentity({ APP_URL: gatewayUrl, ADMIN_EMAILS: ADMIN }, { clock: () => new Date(Date.now() + identityOffsetMs) });
  adminToken = await stack.signUpVerified(ADMIN, PASSWORD);
  await stack.startGateway(
    { GATEWAY_PORT: String(port), PROVIDER_TOKEN_CACHE_TTL: `${CACHE_MS}ms` },
    { clock: () => new Date(Date.now() + gatewayOffsetMs) },
  );
});

afterAll(() => stack.stop());

async function registeredClient(metadata: Record<string, unknown>) {
  const registered = await expectJson<{ client_id: string; client_secret: string }>(
    await call('/admin/oauth/clients', { token: adminToken, body: { client_name: 'Example RP', ...metadata } }),
    201,
  );
  return { id: registered.client_id, secret: registered.client_secret };
}

function tokenRequest(client: { id: string; secret: string }, path: string, form: Record<string, string>) {
  return fetch(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

/** The provider's cookies, as the browser keeps them across its redirects. */
function cookieJar() {
  const cookies = new Map<string, string>();
  return {
    value: (name: string) => cookies.get(name),
    get: async (url: string) => {
      const response = await fetch(url, {
        redirect: 'manual',
        headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
      });
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const at = pair.indexOf('=');
        if (pair.slice(at + 1)) cookies.set(pair.slice(0, at), pair.slice(at + 1));
      }
      return response;
    },
  };
}

/**
 * An account signed in at the pages (its pages access token, a JWT), and the tokens a first-party
 * app got for it through the code flow, every step through the gateway.
 */
async function appTokens(client: { id: string; secret: string }, scope: string) {
  const email = `ada.${randomBytes(4).toString('hex')}.${stack.name}@example.test`.toLowerCase();
  expect((await call('/auth/register', { body: { email, password: PASSWORD } })).status).toBe(201);
  const pages = await expectJson<{ access_token: string; refresh_token: string }>(
    await call('/auth/login', { body: { email, password: PASSWORD } }),
    200,
  );
  const verifier = randomBytes(32).toString('base64url');
  const jar = cookieJar();
  const start = await jar.get(
    `${gatewayUrl}/oauth2/authorize?${String(
      new URLSearchParams({
        client_id: client.id,
        response_type: 'code',
        scope,
        redirect_uri: REDIRECT_URI,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
        state: 'st',
      }),
    )}`,
  );
  const uid = /^\/interaction\/([\w-]+)$/.exec(start.headers.get('location') ?? '')?.[1];
  const signedIn = await expectJson<{ redirectTo: string }>(
    await call(`/oauth/interactions/${uid}/login`, {
      method: 'POST',
      token: pages.access_token,
      headers: { 'x-interaction-proof': jar.value('_interaction.sig') ?? '' },
    }),
    200,
  );
  const callback = await jar.get(signedIn.redirectTo);
  const code = new URL(callback.headers.get('location') ?? '').searchParams.get('code') ?? '';
  const set = await expectJson<{ access_token: string; id_token: string }>(
    await tokenRequest(client, '/oauth2/token', {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }),
    200,
  );
  const profile = await expectJson<{ id: string }>(await call('/users/me', { token: pages.access_token }), 200);
  return { ...set, pagesToken: pages.access_token, pagesRefreshToken: pages.refresh_token, userId: profile.id };
}

describe('CORS for single-page apps at the provider', () => {
  const SPA = 'https://spa.example.com';
  const ELSEWHERE = 'https://elsewhere.example.com';
  let spa: string;
  beforeAll(async () => {
    // A public client: no secret, PKCE alone; its redirect URI's origin is the one its page runs at.
    spa = (await registeredClient({ redirect_uris: [`${SPA}/callback`], token_endpoint_auth_method: 'none' })).id;
  });

  const preflight = (path: string, origin: string) =>
    fetch(`${gatewayUrl}${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
  const form = (path: string, origin: string, body: Record<string, string>) =>
    fetch(`${gatewayUrl}${path}`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(body),
    });

  it.each(['/oauth2/token', '/oauth2/revoke', '/oauth2/userinfo'])(
    'answers the preflight of %s (the provider’s own CORS)',
    async (path) => {
      const response = await preflight(path, SPA);
      expect(response.status).toBe(204);
      expect(response.headers.get('access-control-allow-origin')).toBe(SPA);
      expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    },
  );

  it('lets the app’s page read the token and revocation answers, and no other page', async () => {
    // A made-up code: the answer is an OAuth error either way; what differs is who may read it.
    const exchange = {
      grant_type: 'authorization_code',
      client_id: spa,
      code: 'x',
      code_verifier: 'v'.repeat(43),
      redirect_uri: `${SPA}/callback`,
    };
    const allowed = await form('/oauth2/token', SPA, exchange);
    expect(allowed.status).toBe(400);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(await allowed.json()).toMatchObject({ error: 'invalid_grant' });

    const refused = await form('/oauth2/token', ELSEWHERE, exchange);
    expect(refused.status).toBe(400);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(await refused.json()).toMatchObject({ error: 'invalid_request' });

    const revoked = await form('/oauth2/revoke', SPA, { token: 'unknown', client_id: spa });
    expect(revoked.status).toBe(200);
    expect(revoked.headers.get('access-control-allow-origin')).toBe(SPA);
    expect(
      (await form('/oauth2/revoke', ELSEWHERE, { token: 'unknown', client_id: spa })).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('gives a confidential client’s token requests no CORS: its secret never belongs in a browser', async () => {
    const confidential = await registeredClient({ redirect_uris: [`${SPA}/callback`] });
    const response = await fetch(`${gatewayUrl}/oauth2/token`, {
      method: 'POST',
      headers: {
        origin: SPA,
        authorization: basic(confidential.id, confidential.secret),
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('leaves discovery and the keys open to every page, and /v1 to the gateway’s CORS_ORIGINS', async () => {
    for (const path of ['/.well-known/openid-configuration', '/oauth2/jwks']) {
      const response = await fetch(`${gatewayUrl}${path}`, { headers: { origin: ELSEWHERE } });
      expect(response.status).toBe(200);
      expect([ELSEWHERE, '*']).toContain(response.headers.get('access-control-allow-origin'));
    }
    const api = await preflight('/v1/users/me', SPA);
    expect(api.status).toBe(204);
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('access tokens from the OpenID Connect provider at the gateway', () => {
  let app: { id: string; secret: string };
  beforeAll(async () => {
    app = await registeredClient({ redirect_uris: [REDIRECT_URI], first_party: true });
  });

  it('reads the profile with a token whose scopes reach it, as the account', async () => {
    const tokens = await appTokens(app, 'openid profile');
    const profile = await expectJson<{ id: string; roles: string[] }>(await call('/users/me', { token: tokens.access_token }), 200);
    expect(profile.id).toBe(tokens.userId);
  });

  it.each([
    ['PATCH', '/users/me', { displayName: 'Mallory' }],
    ['GET', '/users/me/sessions', undefined],
    ['POST', '/auth/change-password', { currentPassword: PASSWORD, newPassword: 'another long password' }],
    ['POST', '/auth/2fa/enable', { password: PASSWORD }],
    ['POST', '/auth/request-deletion', { password: PASSWORD }],
    ['GET', '/users/me/apps', undefined],
    ['GET', '/users/me/audit-log', undefined],
    ['GET', '/admin/users', undefined],
    ['GET', '/admin/jobs', undefined],
  ])('refuses %s %s to an app token with 403 insufficient_scope', async (method, path, body) => {
    const tokens = await appTokens(app, 'openid profile email');
    const response = await call(path, { method, token: tokens.access_token, ...(body ? { body } : {}) });
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="solar-accounts", error="insufficient_scope"/);
    await expectProblem(response, 403, 'insufficient_scope');
  });

  it('refuses a token whose scopes do not reach the operation, naming the scopes that would', async () => {
    const tokens = await appTokens(app, 'openid');
    const response = await call('/users/me', { token: tokens.access_token });
    expect(response.headers.get('www-authenticate')).toBe(
      'Bearer realm="solar-accounts", error="insufficient_scope", scope="profile email"',
    );
    await expectProblem(response, 403, 'insufficient_scope');
  });

  it('refuses a revoked token, at the gateway within PROVIDER_TOKEN_CACHE_TTL', async () => {
    const tokens = await appTokens(app, 'openid profile');
    expect((await call('/users/me', { token: tokens.access_token })).status).toBe(200);
    expect((await tokenRequest(app, '/oauth2/revoke', { token: tokens.access_token })).status).toBe(200);
    // Identity looks the token up on its own routes too: they refuse it at once, the gateway's cache notwithstanding.
    await expectProblem(await call('/users/me', { token: tokens.access_token }), 401, 'unauthorized');
    // The gateway's own answer is remembered for at most the bound; past it, it asks identity again.
    gatewayOffsetMs += CACHE_MS;
    const refused = await call('/users/me', { token: tokens.access_token });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="solar-accounts", error="invalid_token"');
    await expectProblem(refused, 401, 'unauthorized');
  });

  it('refuses the token once the account signs out of the pages session it was issued under', async () => {
    const tokens = await appTokens(app, 'openid profile');
    expect((await call('/users/me', { token: tokens.access_token })).status).toBe(200);
    expect((await call('/auth/logout', { method: 'POST', token: tokens.pagesToken })).status).toBe(204);
    gatewayOffsetMs += CACHE_MS;
    const refused = await call('/users/me', { token: tokens.access_token });
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="solar-accounts", error="invalid_token"');
    await expectProblem(refused, 401, 'unauthorized');
  });

  it('refuses a client-credentials token on a user route: it speaks for no account', async () => {
    const service = await registeredClient({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
    const set = await expectJson<{ access_token: string }>(
      await tokenRequest(service, '/oauth2/token', { grant_type: 'client_credentials' }),
      200,
    );
    await expectProblem(await call('/users/me', { token: set.access_token }), 403, 'insufficient_scope');
  });

  it.each([
    ['an unknown opaque token', () => randomBytes(32).toString('base64url')],
    [
      'a JWT that is not ours',
      () => `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.`,
    ],
    ['a token with characters no token has', () => 'not a token at all'],
  ])('refuses %s with 401 invalid_token', async (_label, token) => {
    const response = await call('/users/me', { token: token() });
    await expectProblem(response, 401, 'unauthorized');
  });

  it('refuses tokens of other kinds (the app’s ID token, a pages refresh token) and an expired access token', async () => {
    const tokens = await appTokens(app, 'openid profile');
    for (const other of [tokens.id_token, tokens.pagesRefreshToken])
      await expectProblem(await call('/users/me', { token: other }), 401, 'unauthorized');
    const fresh = await appTokens(app, 'openid profile');
    identityOffsetMs = 16 * 60_000;
    try {
      await expectProblem(await call('/users/me', { token: fresh.access_token }), 401, 'unauthorized');
    } finally {
      identityOffsetMs = 0;
    }
  });

  it('answers 503, not 500, while identity cannot be asked', async () => {
    const tokens = await appTokens(app, 'openid profile');
    await stack.stopService('identity');
    const response = await call('/users/me', { token: tokens.access_token });
    expect(response.headers.get('retry-after')).toBe('5');
    await expectProblem(response, 503, 'service_unavailable');
  });
});
