import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { SoftwareAuthenticator } from '@solar/chassis/testing';
import { OAuthClientRepository, hashClientSecret, newClientSecret } from '../src/oidc/oauth-client.repository';
import { AuthHarness } from './auth-harness';

const h = new AuthHarness('identity-oidc');

// oidc-provider keeps time by the system clock; identity's (a session's sign-in time, auth_time) must agree.
h.now = new Date();
beforeAll(() => h.start());
afterAll(() => h.stop());

const REDIRECT_URI = 'https://rp.example.com/callback';

const json = async (response: Response) => (await response.json()) as Record<string, unknown>;
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** A client written as the admin API writes it: the secret hashed, the clear one returned once. */
async function registeredClient(metadata: Record<string, unknown> = {}, firstParty = false) {
  const id = `client-${randomBytes(6).toString('hex')}`;
  const secret = newClientSecret();
  const now = new Date();
  await new OAuthClientRepository(h.db).insert({
    _id: id,
    metadata: { client_name: 'Test app', redirect_uris: [REDIRECT_URI], ...metadata },
    secretHash: hashClientSecret(secret),
    firstParty,
    createdAt: now,
    updatedAt: now,
  });
  return { id, secret };
}

function tokenRequest(path: string, client: { id: string; secret: string }, form: Record<string, string>) {
  return fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
}

function authorize(params: Record<string, string>) {
  return fetch(`${h.baseUrl}/oauth2/authorize?${String(new URLSearchParams(params))}`, { redirect: 'manual' });
}

const challengeOf = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

describe('discovery and keys', () => {
  it('publishes the provider metadata: code flow, PKCE S256 only, our endpoints under the issuer', async () => {
    const response = await fetch(`${h.baseUrl}/.well-known/openid-configuration`);
    expect(response.status).toBe(200);
    const metadata = await json(response);
    expect(metadata).toMatchObject({
      issuer: 'https://app.solar.test',
      authorization_endpoint: `${h.baseUrl}/oauth2/authorize`,
      token_endpoint: `${h.baseUrl}/oauth2/token`,
      userinfo_endpoint: `${h.baseUrl}/oauth2/userinfo`,
      jwks_uri: `${h.baseUrl}/oauth2/jwks`,
      introspection_endpoint: `${h.baseUrl}/oauth2/introspect`,
      revocation_endpoint: `${h.baseUrl}/oauth2/revoke`,
      end_session_endpoint: `${h.baseUrl}/oauth2/logout`,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
      id_token_signing_alg_values_supported: ['EdDSA'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'none'],
    });
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(metadata.claims_supported).toEqual(
      expect.arrayContaining(['sub', 'email', 'email_verified', 'name', 'locale', 'acr', 'auth_time']),
    );
  });

  it('publishes the same public keys as identity’s JWKS, never a private part', async () => {
    const oidc = (await json(await fetch(`${h.baseUrl}/oauth2/jwks`))) as { keys: Record<string, unknown>[] };
    const identity = (await json(await fetch(`${h.baseUrl}/.well-known/jwks.json`))) as { keys: Record<string, unknown>[] };
    expect(oidc.keys.map((key) => key.kid)).toEqual(identity.keys.map((key) => key.kid));
    for (const key of oidc.keys) expect(key).not.toHaveProperty('d');
  });
});

describe('client credentials, introspection and revocation', () => {
  it('issues a token to a client with its secret, introspects it active, and inactive once revoked', async () => {
    const client = await registeredClient({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
    const issued = await tokenRequest('/oauth2/token', client, { grant_type: 'client_credentials' });
    expect(issued.status).toBe(200);
    expect(issued.headers.get('cache-control')).toBe('no-store');
    const { access_token: token } = (await json(issued)) as { access_token: string };

    expect(await json(await tokenRequest('/oauth2/introspect', client, { token }))).toMatchObject({ active: true, client_id: client.id });
    expect((await tokenRequest('/oauth2/revoke', client, { token })).status).toBe(200);
    expect(await json(await tokenRequest('/oauth2/introspect', client, { token }))).toEqual({ active: false });
  });

  it('refuses a wrong secret with 401 invalid_client (RFC 6749 §5.2)', async () => {
    const client = await registeredClient({ grant_types: ['client_credentials'], response_types: [], redirect_uris: [] });
    const response = await tokenRequest(
      '/oauth2/token',
      { id: client.id, secret: newClientSecret() },
      { grant_type: 'client_credentials' },
    );
    expect(response.status).toBe(401);
    expect(await json(response)).toMatchObject({ error: 'invalid_client' });
  });

  it('stores only the hash of a client secret', async () => {
    const client = await registeredClient();
    const stored = JSON.stringify(await h.db.collection('oauth_clients').findOne({ _id: client.id as never }));
    expect(stored).not.toContain(client.secret);
  });
});

describe('authorization requests', () => {
  const verifier = randomBytes(32).toString('base64url');

  it('sends a valid request to the account pages’ interaction page', async () => {
    const client = await registeredClient();
    const response = await authorize({
      client_id: client.id,
      response_type: 'code',
      scope: 'openid email',
      redirect_uri: REDIRECT_URI,
      code_challenge: challengeOf(verifier),
      code_challenge_method: 'S256',
      state: 'abc',
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toMatch(/^\/interaction\/[A-Za-z0-9_-]+$/);
    const stored = await h.db.collection('oidc_models').findOne({ model: 'Interaction' });
    expect(stored).toMatchObject({ expiresAt: expect.any(Date) });
  });

  it.each([
    ['plain PKCE', { code_challenge: verifier, code_challenge_method: 'plain' }],
    ['no PKCE', {}],
  ])('refuses %s with invalid_request at the redirect URI', async (_label, pkce) => {
    const client = await registeredClient();
    const response = await authorize({
      client_id: client.id,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      state: 's',
      ...pkce,
    });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('s');
  });

  it('never redirects to a URI that differs from the registered one by one character', async () => {
    const client = await registeredClient();
    const response = await authorize({
      client_id: client.id,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: `${REDIRECT_URI}s`,
      code_challenge: challengeOf(verifier),
      code_challenge_method: 'S256',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    // The provider's error page (oidc-pages.ts): a sentence and the error's code, never the request's details.
    const page = await response.text();
    expect(page).toContain('<code>invalid_redirect_uri</code>');
    expect(page).not.toContain(`${REDIRECT_URI}s`);
    expect(page).not.toContain('<script');
  });

  it('refuses a request object signed with alg none: request objects are not supported', async () => {
    const client = await registeredClient();
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ client_id: client.id, response_type: 'code', redirect_uri: REDIRECT_URI })).toString(
      'base64url',
    );
    const response = await authorize({
      client_id: client.id,
      response_type: 'code',
      scope: 'openid',
      redirect_uri: REDIRECT_URI,
      request: `${header}.${payload}.`,
      code_challenge: challengeOf(verifier),
      code_challenge_method: 'S256',
    });
    expect(response.status).toBe(303);
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('request_not_supported');
  });
});

/** The browser's cookies for the provider's paths, as a browser keeps them across redirects. */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  keep(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      const [name, value] = [pair.slice(0, at), pair.slice(at + 1)];
      if (value && !/expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.set(name, value);
      else this.cookies.delete(name);
    }
    return response;
  }

  value(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async get(url: string): Promise<Response> {
    return this.keep(await fetch(url, { redirect: 'manual', headers: { cookie: this.header() } }));
  }

  async postForm(url: string, form: Record<string, string>): Promise<Response> {
    const headers = { cookie: this.header(), 'content-type': 'application/x-www-form-urlencoded' };
    return this.keep(await fetch(url, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(form) }));
  }

  private header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

const uidOf = (response: Response) => {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)$/.exec(response.headers.get('location') ?? '');
  if (!match) throw new Error(`not sent to the interaction page: ${response.status} ${response.headers.get('location')}`);
  return match[1]!;
};

/** The interaction API as the pages call it, with the browser's interaction cookie signature when `jar` is given. */
function interactionApi(path: string, accessToken: string, method = 'POST', jar?: CookieJar) {
  const proof = jar?.value('_interaction.sig');
  return fetch(`${h.baseUrl}/oauth/interactions/${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, ...(proof ? { 'x-interaction-proof': proof } : {}) },
  });
}

/** Signs in through the interaction API, as the account pages do once their own sign-in succeeded. */
async function signInAndConsent(jar: CookieJar, start: Response, signIn: () => Promise<string>, consent: boolean) {
  const uid = uidOf(start);
  const accessToken = await signIn();
  const described = await interactionApi(uid, accessToken, 'GET');
  expect(await json(described)).toMatchObject({ uid, prompt: 'login' });
  const signedIn = (await json(await interactionApi(`${uid}/login`, accessToken, 'POST', jar))) as { redirectTo: string };
  let next = await jar.get(signedIn.redirectTo);
  if (consent) {
    const consentUid = uidOf(next);
    const asked = await json(await interactionApi(consentUid, accessToken, 'GET'));
    expect(asked).toMatchObject({ prompt: 'consent', client: { firstParty: false }, scopes: expect.arrayContaining(['openid', 'email']) });
    const consented = (await json(await interactionApi(`${consentUid}/consent`, accessToken, 'POST', jar))) as { redirectTo: string };
    next = await jar.get(consented.redirectTo);
  }
  expect(next.status).toBe(303);
  return new URL(next.headers.get('location')!);
}

describe('the code flow, completed through the interaction API', () => {
  const verifier = randomBytes(32).toString('base64url');

  /** The code the app gets; `signIn` runs once the request has reached the account pages. */
  async function codeFor(
    client: { id: string },
    signIn: () => Promise<string>,
    consent: boolean,
    extra: Record<string, string> = {},
    jar = new CookieJar(),
  ) {
    const start = await jar.get(
      `${h.baseUrl}/oauth2/authorize?${String(
        new URLSearchParams({
          client_id: client.id,
          response_type: 'code',
          scope: 'openid email profile offline_access',
          prompt: 'consent',
          redirect_uri: REDIRECT_URI,
          code_challenge: challengeOf(verifier),
          code_challenge_method: 'S256',
          state: 'st',
          nonce: 'n0',
          ...extra,
        }),
      )}`,
    );
    const callback = await signInAndConsent(jar, start, signIn, consent);
    expect(`${callback.origin}${callback.pathname}`).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe('st');
    return callback.searchParams.get('code')!;
  }

  /** The app's exchange of `code`, with the verifier, for its token set. */
  async function exchange(client: { id: string; secret: string }, code: string) {
    const form = { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, code_verifier: verifier };
    return (await json(await tokenRequest('/oauth2/token', client, form))) as {
      access_token: string;
      refresh_token: string;
      id_token: string;
    };
  }

  async function signedInAccount(label: string) {
    const user = await h.registered(label);
    return { ...user, tokens: await h.signedIn(user.email, user.password) };
  }

  const tokenOf = (account: { tokens: { access_token: string } }) => () => Promise.resolve(account.tokens.access_token);

  it('says in amr and acr that a passkey signed in: hwk for a key bound to its authenticator', async () => {
    const client = await registeredClient();
    const user = await h.registered('passkey-amr');
    await h.verifyEmail(user.email);
    const { access_token: token } = await h.signedIn(user.email, user.password);
    const key = new SoftwareAuthenticator('app.solar.test', 'https://app.solar.test', undefined, false);
    const creation = (await json(await h.request('/auth/passkeys/registration/options', { body: { password: user.password }, token }))) as {
      options: { challenge: string };
    };
    const credential = key.register(creation.options);
    expect((await h.request('/auth/passkeys/registration/verify', { body: { name: 'Key', credential }, token })).status).toBe(201);
    const signInWithPasskey = async () => {
      const request = (await json(await h.request('/auth/passkeys/authentication/options', { body: {} }))) as {
        options: { challenge: string };
      };
      const answer = { credential: key.authenticate(request.options) };
      return String((await json(await h.request('/auth/passkeys/authentication/verify', { body: answer }))).access_token);
    };
    const code = await codeFor(client, signInWithPasskey, true);
    const exchanged = await tokenRequest('/oauth2/token', client, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    const { id_token } = (await json(exchanged)) as { id_token: string };
    const { payload } = await jwtVerify(id_token, createRemoteJWKSet(new URL(`${h.baseUrl}/oauth2/jwks`)), { audience: client.id });
    expect(payload).toMatchObject({ sub: user.userId, amr: ['hwk'], acr: 'urn:solar:loa:mfa' });
  });

  it('gives a third-party app an ID token, userinfo and rotating refresh tokens after sign-in and consent', async () => {
    const client = await registeredClient();
    const account = await signedInAccount('flow');
    const { userId, email } = account;
    const code = await codeFor(client, tokenOf(account), true);

    const exchanged = await tokenRequest('/oauth2/token', client, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const set = (await json(exchanged)) as { id_token: string; access_token: string; refresh_token: string };
    const jwks = createRemoteJWKSet(new URL(`${h.baseUrl}/oauth2/jwks`));
    const { payload } = await jwtVerify(set.id_token, jwks, { issuer: 'https://app.solar.test', audience: client.id });
    expect(payload).toMatchObject({
      sub: userId,
      email,
      email_verified: false,
      locale: 'en',
      nonce: 'n0',
      amr: ['pwd'],
      acr: 'urn:solar:loa:pwd',
    });
    expect(payload.auth_time).toEqual(expect.any(Number));

    const userinfo = await fetch(`${h.baseUrl}/oauth2/userinfo`, { headers: { authorization: `Bearer ${set.access_token}` } });
    expect(await json(userinfo)).toMatchObject({ sub: userId, email });

    const refreshed = await tokenRequest('/oauth2/token', client, { grant_type: 'refresh_token', refresh_token: set.refresh_token });
    expect(refreshed.status).toBe(200);
    const next = (await json(refreshed)) as { refresh_token: string; access_token: string };
    expect(next.refresh_token).not.toBe(set.refresh_token);

    // A rotated refresh token presented again is a theft signal: the whole grant goes.
    const replay = await tokenRequest('/oauth2/token', client, { grant_type: 'refresh_token', refresh_token: set.refresh_token });
    expect(replay.status).toBe(400);
    expect(await json(replay)).toMatchObject({ error: 'invalid_grant' });
    expect(await json(await tokenRequest('/oauth2/introspect', client, { token: next.access_token }))).toEqual({ active: false });
  });

  it.each([
    ['signing out of the pages', (token: string) => h.logout(token)],
    ['signing out everywhere', (token: string) => h.logout(token, { all: true })],
  ])('ends the app’s tokens and the provider’s session on %s (one notion of a session)', async (_label, signOut) => {
    const client = await registeredClient();
    const account = await signedInAccount('one-session');
    const code = await codeFor(client, tokenOf(account), true);
    const set = await exchange(client, code);
    expect(await json(await tokenRequest('/oauth2/introspect', client, { token: set.access_token }))).toMatchObject({ active: true });
    expect(await h.db.collection('oidc_models').countDocuments({ model: 'Session', 'payload.accountId': account.userId })).toBe(1);

    expect((await signOut(account.tokens.access_token)).status).toBe(204);
    expect(await json(await tokenRequest('/oauth2/introspect', client, { token: set.access_token }))).toEqual({ active: false });
    const refresh = await tokenRequest('/oauth2/token', client, { grant_type: 'refresh_token', refresh_token: set.refresh_token });
    expect(await json(refresh)).toMatchObject({ error: 'invalid_grant' });
    expect(await h.db.collection('oidc_models').countDocuments({ model: 'Session', 'payload.accountId': account.userId })).toBe(0);
  });

  it('signs no app in for a disabled account, and its app tokens stop working', async () => {
    const client = await registeredClient();
    const account = await signedInAccount('disabled');
    const set = await exchange(client, await codeFor(client, tokenOf(account), true));
    // Written as disabling writes it, without the end of the sessions that follows: a session that outlived it by a moment.
    await h.db.collection('users').updateOne({ _id: account.userId as never }, { $set: { disabledAt: h.now } });

    const refresh = await tokenRequest('/oauth2/token', client, { grant_type: 'refresh_token', refresh_token: set.refresh_token });
    expect(await json(refresh)).toMatchObject({ error: 'invalid_grant' });
    const userinfo = await fetch(`${h.baseUrl}/oauth2/userinfo`, { headers: { authorization: `Bearer ${set.access_token}` } });
    expect(userinfo.status).toBe(401);
    const jar = new CookieJar();
    const start = await jar.get(
      `${h.baseUrl}/oauth2/authorize?${String(
        new URLSearchParams({
          client_id: client.id,
          response_type: 'code',
          scope: 'openid',
          redirect_uri: REDIRECT_URI,
          code_challenge: challengeOf(verifier),
          code_challenge_method: 'S256',
        }),
      )}`,
    );
    const signIn = await interactionApi(`${uidOf(start)}/login`, account.tokens.access_token, 'POST', jar);
    expect(signIn.status).toBe(403);
    expect(await json(signIn)).toMatchObject({ code: 'account_disabled' });
  });

  it.each([
    ['"Sign out" ends the pages’ session and every token under it', 'yes'],
    ['"Stay signed in" ends only the app’s tokens', undefined],
  ])('RP-initiated logout: %s', async (_label, logout) => {
    const client = await registeredClient({ client_name: '<b>Evil</b> app', post_logout_redirect_uris: ['https://rp.example.com/'] });
    const account = await signedInAccount('rp-logout');
    const jar = new CookieJar();
    const code = await codeFor(client, tokenOf(account), true, {}, jar);
    const set = await exchange(client, code);

    const asked = await jar.get(
      `${h.baseUrl}/oauth2/logout?${String(new URLSearchParams({ id_token_hint: set.id_token, post_logout_redirect_uri: 'https://rp.example.com/', state: 'bye' }))}`,
    );
    expect(asked.status).toBe(200);
    const page = await asked.text();
    // The app's name is text, never markup; the policy lets the form's redirect reach the app only.
    expect(page).toContain('&#60;b&#62;Evil&#60;/b&#62; app asks to sign you out');
    expect(asked.headers.get('content-security-policy')).toContain("form-action 'self' https://rp.example.com;");
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)?.[1];
    expect(xsrf).toBeDefined();
    const confirmed = await jar.postForm(`${h.baseUrl}/oauth2/logout/confirm`, { xsrf: xsrf!, ...(logout ? { logout } : {}) });
    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.get('location')).toBe('https://rp.example.com/?state=bye');

    for (const token of [set.access_token, set.refresh_token]) {
      expect(await json(await tokenRequest('/oauth2/introspect', client, { token }))).toEqual({ active: false });
    }
    const pages = await h.refresh(account.tokens.refresh_token);
    expect(pages.status).toBe(logout ? 401 : 200);
  });

  it('refuses a logout whose post_logout_redirect_uri is not registered, on the error page', async () => {
    const client = await registeredClient({ post_logout_redirect_uris: ['https://rp.example.com/'] });
    const response = await fetch(
      `${h.baseUrl}/oauth2/logout?${String(new URLSearchParams({ client_id: client.id, post_logout_redirect_uri: 'https://evil.example.com/' }))}`,
      // A browser's request: the page, not the OAuth JSON.
      { redirect: 'manual', headers: { accept: 'text/html' } },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('<code>invalid_request</code>');
  });

  it('remembers a consent across sessions until the account takes it back from "apps with access"', async () => {
    const client = await registeredClient();
    const account = await signedInAccount('remembered');
    const first = await codeFor(client, tokenOf(account), true, { scope: 'openid email' });
    const set = (await json(
      await tokenRequest('/oauth2/token', client, {
        grant_type: 'authorization_code',
        code: first,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      }),
    )) as { access_token: string };
    // Another browser, another session: signed in, and no consent step for what was consented to.
    const again = { tokens: await h.signedIn(account.email, account.password) };
    const jar = new CookieJar();
    const start = await jar.get(
      `${h.baseUrl}/oauth2/authorize?${String(new URLSearchParams({ client_id: client.id, response_type: 'code', scope: 'openid email', redirect_uri: REDIRECT_URI, code_challenge: challengeOf(verifier), code_challenge_method: 'S256' }))}`,
    );
    expect((await signInAndConsent(jar, start, tokenOf(again), false)).searchParams.get('code')).toEqual(expect.any(String));

    const listed = await h.request('/users/me/apps', { token: again.tokens.access_token });
    expect(await json(listed)).toEqual({
      apps: [{ clientId: client.id, name: 'Test app', scopes: ['openid', 'email'], grantedAt: expect.any(String) }],
    });
    expect((await h.request(`/users/me/apps/${client.id}`, { method: 'DELETE', token: again.tokens.access_token })).status).toBe(204);
    expect(await json(await tokenRequest('/oauth2/introspect', client, { token: set.access_token }))).toEqual({ active: false });
    expect(await json(await h.request('/users/me/apps', { token: again.tokens.access_token }))).toEqual({ apps: [] });
    expect((await h.request(`/users/me/apps/${client.id}`, { method: 'DELETE', token: again.tokens.access_token })).status).toBe(404);
  });

  it('refuses a code used twice and revokes what the first use issued', async () => {
    const client = await registeredClient();
    const code = await codeFor(client, tokenOf(await signedInAccount('twice')), true);
    const exchange = () =>
      tokenRequest('/oauth2/token', client, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      });
    const first = (await json(await exchange())) as { access_token: string; refresh_token: string };
    expect(first.refresh_token).toEqual(expect.any(String));
    const second = await exchange();
    expect(second.status).toBe(400);
    expect(await json(second)).toMatchObject({ error: 'invalid_grant' });
    for (const token of [first.access_token, first.refresh_token]) {
      expect(await json(await tokenRequest('/oauth2/introspect', client, { token }))).toEqual({ active: false });
    }
  });

  it.each([
    ['a wrong verifier', { code_verifier: randomBytes(32).toString('base64url') }],
    ['no verifier', {}],
  ])('refuses a code exchange with %s (invalid_grant)', async (_label, pkce) => {
    const client = await registeredClient();
    const code = await codeFor(client, tokenOf(await signedInAccount('verifier')), true);
    const response = await tokenRequest('/oauth2/token', client, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      ...pkce,
    });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ error: 'invalid_grant' });
  });

  it('serves a mobile app as a public client: no secret, PKCE alone, a custom-scheme redirect', async () => {
    const appRedirect = 'com.example.app:/oauth/callback';
    const id = `mobile-${randomBytes(6).toString('hex')}`;
    const now = new Date();
    await new OAuthClientRepository(h.db).insert({
      _id: id,
      metadata: { client_name: 'Phone app', application_type: 'native', redirect_uris: [appRedirect], token_endpoint_auth_method: 'none' },
      secretHash: null,
      firstParty: false,
      createdAt: now,
      updatedAt: now,
    });
    const jar = new CookieJar();
    const start = await jar.get(
      `${h.baseUrl}/oauth2/authorize?${String(new URLSearchParams({ client_id: id, response_type: 'code', scope: 'openid email offline_access', prompt: 'consent', redirect_uri: appRedirect, code_challenge: challengeOf(verifier), code_challenge_method: 'S256' }))}`,
    );
    const callback = await signInAndConsent(jar, start, tokenOf(await signedInAccount('mobile')), true);
    expect(`${callback.protocol}${callback.pathname}`).toBe(appRedirect);
    const form = (extra: Record<string, string>) =>
      fetch(`${h.baseUrl}/oauth2/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: id, ...extra }),
      });
    const exchanged = await form({
      grant_type: 'authorization_code',
      code: callback.searchParams.get('code')!,
      redirect_uri: appRedirect,
      code_verifier: verifier,
    });
    expect(exchanged.status).toBe(200);
    const { refresh_token: refreshToken } = (await json(exchanged)) as { refresh_token: string };
    const refreshed = (await json(await form({ grant_type: 'refresh_token', refresh_token: refreshToken }))) as { refresh_token: string };
    expect(refreshed.refresh_token).toEqual(expect.any(String));
    expect(refreshed.refresh_token).not.toBe(refreshToken);
  });

  it('refuses a code past its 60 seconds (invalid_grant)', async () => {
    const client = await registeredClient();
    const code = await codeFor(client, tokenOf(await signedInAccount('expired')), true);
    h.advance(61_000);
    try {
      const response = await tokenRequest('/oauth2/token', client, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
      });
      expect(response.status).toBe(400);
      expect(await json(response)).toMatchObject({ error: 'invalid_grant' });
    } finally {
      h.now = new Date();
    }
  });

  it('lets a first-party app through without a consent step, after a fresh sign-in when it asks for one', async () => {
    const firstParty = await registeredClient({}, true);
    const user = await h.registered('first-party');
    const freshSignIn = async () => {
      h.now = new Date();
      return (await h.signedIn(user.email, user.password)).access_token;
    };
    await codeFor(firstParty, freshSignIn, false, { prompt: 'login', scope: 'openid email' });
  });

  it('refuses to complete a sign-in that must be fresh with a session from before the request', async () => {
    const client = await registeredClient();
    // A session opened a minute before the app's request.
    h.now = new Date(Date.now() - 60_000);
    const { tokens } = await signedInAccount('fresh');
    const jar = new CookieJar();
    const start = await jar.get(
      `${h.baseUrl}/oauth2/authorize?${String(new URLSearchParams({ client_id: client.id, response_type: 'code', scope: 'openid', prompt: 'login', redirect_uri: REDIRECT_URI, code_challenge: challengeOf(verifier), code_challenge_method: 'S256' }))}`,
    );
    const refused = await interactionApi(`${uidOf(start)}/login`, tokens.access_token, 'POST', jar);
    expect(refused.status).toBe(403);
    expect(await json(refused)).toMatchObject({ code: 'forbidden' });
  });

  it('sends the app access_denied when the account refuses', async () => {
    const client = await registeredClient();
    const { tokens } = await signedInAccount('deny');
    const jar = new CookieJar();
    const start = await jar.get(
      `${h.baseUrl}/oauth2/authorize?${String(new URLSearchParams({ client_id: client.id, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, code_challenge: challengeOf(verifier), code_challenge_method: 'S256', state: 'd' }))}`,
    );
    const denied = (await json(await interactionApi(`${uidOf(start)}/deny`, tokens.access_token, 'POST', jar))) as { redirectTo: string };
    const callback = new URL((await jar.get(denied.redirectTo)).headers.get('location')!);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe('d');
  });

  it('refuses to finish a request in a browser other than the one that started it', async () => {
    const client = await registeredClient();
    const { tokens } = await signedInAccount('other-browser');
    const authorizeUrl = `${h.baseUrl}/oauth2/authorize?${String(new URLSearchParams({ client_id: client.id, response_type: 'code', scope: 'openid', redirect_uri: REDIRECT_URI, code_challenge: challengeOf(verifier), code_challenge_method: 'S256' }))}`;
    const victim = new CookieJar();
    const uid = uidOf(await victim.get(authorizeUrl));
    // Another browser knows the id, and has an interaction cookie of its own request.
    const attacker = new CookieJar();
    await attacker.get(authorizeUrl);
    for (const jar of [undefined, attacker]) {
      const refused = await interactionApi(`${uid}/login`, tokens.access_token, 'POST', jar);
      expect(refused.status).toBe(403);
      expect(await json(refused)).toMatchObject({ code: 'forbidden' });
    }
    expect((await interactionApi(`${uid}/login`, tokens.access_token, 'POST', victim)).status).toBe(200);
  });

  it('answers 404 for an interaction that does not exist', async () => {
    const { tokens } = await signedInAccount('unknown');
    expect((await interactionApi('unknownInteraction1', tokens.access_token, 'GET')).status).toBe(404);
  });
});
