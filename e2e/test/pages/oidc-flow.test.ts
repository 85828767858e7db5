import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import * as oidc from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { LOOPBACK_REDIRECT, signInNative } from '../../examples/oidc-native-app';
import { startWebApp } from '../../examples/oidc-web-app';
import { apiClient, expectJson } from '../support/api-client';
import { freePort } from '../support/sasl-kafka';
import { TestStack } from '../support/stack';
import { launchChromium, seriousViolations } from './browser';
import { h1, submit } from './page-harness';
import { TotpClock } from './totp-clock';

// An app signs a user in with the OpenID Connect code flow, as docs/oidc.md tells its developer:
// openid-client as the relying party, Debian's Chromium as the user's browser, the whole stack
// behind one gateway whose origin is the issuer. The RP's callback is a local server that only
// shows the browser arrived; the test then does what the RP's server would. Identity runs with the
// password grant off (PASSWORD_GRANT_ENABLED=false), as a deployment that moved its apps to OIDC:
// the accounts are made before, while it was on.

jest.setTimeout(240_000);

const stack = new TestStack('oidc-flow');
const time = new TotpClock();
const PASSWORD = 'a long and proper password';
const ADMIN = `admin.${stack.name}@example.test`.toLowerCase();
const USER = `ada.${stack.name}@example.test`.toLowerCase();
const PAGES_SIGN_IN_KEY = `pages-${stack.name}`.padEnd(40, 'k');

let gatewayUrl: string;
let browser: Browser;
let rp: Server;
let redirectUri: string;
let adminToken: string;
let totpSecret: string;
const call = apiClient(stack, () => gatewayUrl);
/** The gateway's clock: moved past its provider-token cache bound instead of sleeping. */
let gatewayOffsetMs = 0;

beforeAll(async () => {
  rp = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('Example RP: signed in'));
  await new Promise<void>((resolve) => rp.listen(0, '127.0.0.1', resolve));
  redirectUri = `http://127.0.0.1:${(rp.address() as AddressInfo).port}/callback`;

  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests].map((topic) => stack.topic(topic)),
  );
  // The issuer is the gateway's origin, so identity must know it before the gateway listens on it.
  const port = await freePort();
  gatewayUrl = `http://127.0.0.1:${port}`;
  const identityEnv = { APP_URL: gatewayUrl, ADMIN_EMAILS: ADMIN };
  const identity = await stack.startIdentity(identityEnv, { clock: time.now });
  adminToken = await stack.signUpVerified(ADMIN, PASSWORD);
  totpSecret = await accountWithTwoFactor(identity.url);
  await stack.stopService('identity');
  await stack.startIdentity({ ...identityEnv, PASSWORD_GRANT_ENABLED: 'false', PAGES_SIGN_IN_KEY }, { clock: time.now });
  const webUrl = await stack.reserveWebUrl();
  await stack.startGateway({ GATEWAY_PORT: String(port), WEB_URL: webUrl }, { clock: () => new Date(Date.now() + gatewayOffsetMs) });
  await stack.startWeb({ PAGES_SIGN_IN_KEY }, { clock: time.now });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await stack.stop();
  rp?.closeAllConnections();
  await new Promise((resolve) => rp?.close(resolve));
});

/** An account with two-factor on, set up at identity directly; the TOTP secret its app would hold. */
async function accountWithTwoFactor(identityUrl: string): Promise<string> {
  const token = await stack.signUpVerified(USER, PASSWORD);
  const post = (path: string, body: unknown) =>
    stack.fetch(`${identityUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const setup = await expectJson<{ secret: string }>(await post('/auth/2fa/enable', { password: PASSWORD }), 200);
  await expectJson(await post('/auth/2fa/verify', { password: PASSWORD, code: await time.codeAt(setup.secret) }), 200);
  time.nextStep();
  return setup.secret;
}

describe('an app signing in with OpenID Connect', () => {
  it('code flow with PKCE through the sign-in page (TOTP) and consent; ID token, userinfo, refresh, revocation; access removed', async () => {
    const registered = await expectJson<{ client_id: string; client_secret: string }>(
      await call('/admin/oauth/clients', {
        token: adminToken,
        body: { client_name: 'Example RP', redirect_uris: [redirectUri], post_logout_redirect_uris: [redirectUri] },
      }),
      201,
    );
    // The answer docs/oidc.md shows the operator.
    expect(registered).toMatchObject({
      client_secret: expect.any(String),
      client_secret_expires_at: 0,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code', 'refresh_token'],
    });
    // Apps get no password grant: the code flow is their way in.
    const refused = await expectJson(await call('/auth/login', { body: { email: USER, password: PASSWORD } }), 400);
    expect(refused).toMatchObject({ code: 'unsupported_grant_type' });

    // The relying party: discovery from the issuer, then an authorization URL with PKCE S256.
    const config = await oidc.discovery(new URL(gatewayUrl), registered.client_id, registered.client_secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const verifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const authorizationUrl = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile offline_access',
      // offline_access (a refresh token) is granted only with an explicit consent (OIDC Core §11).
      prompt: 'consent',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });

    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(authorizationUrl.href);
    await expect(h1(page)).resolves.toBe('Sign in');
    await page.getByLabel('Email address').fill(USER);
    await page.getByLabel('Password').fill(PASSWORD);
    await submit(page, 'Sign in');
    await page.getByLabel('Code from your app').fill(await time.codeAt(totpSecret));
    await submit(page, 'Verify');
    await page.waitForURL((url) => url.pathname.startsWith('/interaction/') && !url.pathname.endsWith('/consent'));
    await expect(h1(page)).resolves.toBe('Allow access');
    await expect(page.getByText('Example RP asks to use your account:').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    await page.waitForURL((url) => url.href.startsWith(redirectUri));
    const callback = new URL(page.url());

    // The RP's server: the code exchanged with the verifier, the ID token checked against our JWKS.
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: verifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const claims = tokens.claims()!;
    expect(claims).toMatchObject({
      iss: gatewayUrl,
      aud: registered.client_id,
      email: USER,
      email_verified: true,
      locale: 'en',
      amr: ['pwd', 'otp'],
      acr: 'urn:solar:loa:mfa',
    });
    expect(claims.auth_time).toEqual(expect.any(Number));
    const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
    expect(userinfo).toMatchObject({ sub: claims.sub, email: USER });

    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeDefined();
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toMatchObject({ active: true, sub: claims.sub });
    // The app calls the API with it; the gateway keeps the live answer for its bound (docs/oidc.md).
    await expectJson(await call('/users/me', { token: refreshed.access_token }), 200);
    await oidc.tokenRevocation(config, refreshed.access_token);
    expect(await oidc.tokenIntrospection(config, refreshed.access_token)).toEqual({ active: false });
    gatewayOffsetMs += 5_001;
    expect((await call('/users/me', { token: refreshed.access_token })).status).toBe(401);

    // The consent is remembered until the account page takes it back; then the app's refresh token is dead.
    await page.goto(`${gatewayUrl}/account`);
    await expect(page.locator('#apps').textContent()).resolves.toContain('Example RP');
    await submit(page, 'Remove access: Example RP');
    await expect(page.getByText('The app no longer has access.').count()).resolves.toBe(1);
    await expect(page.locator('#apps').count()).resolves.toBe(0);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await context.close();
  });
});

describe('the example apps of docs/oidc.md', () => {
  it("e2e/examples/oidc-web-app.ts: sign-in, userinfo, refresh; RP-initiated logout ends the session and the app's tokens", async () => {
    const port = await freePort();
    const app = `http://127.0.0.1:${port}`;
    const registered = await registerClient({
      client_name: 'Example web app',
      redirect_uris: [`${app}/callback`],
      post_logout_redirect_uris: [`${app}/`],
    });
    const issued: oidc.TokenEndpointResponse[] = [];
    const webApp = await startWebApp({
      issuer: new URL(gatewayUrl),
      clientId: registered.client_id,
      clientSecret: registered.client_secret,
      port,
      allowInsecureRequests: true,
      onTokens: (tokens) => issued.push(tokens),
    });
    const context = await browser.newContext({ locale: 'en-GB' });
    try {
      const page = await context.newPage();
      await page.goto(`${app}/login`);
      await signInWithTotp(page, USER);
      await page.getByRole('button', { name: 'Allow', exact: true }).click();
      await page.waitForURL(`${app}/`);
      await expect(page.getByText(`Signed in as ${USER}`).count()).resolves.toBe(1);
      await expect((await page.request.get(`${app}/me`)).json()).resolves.toMatchObject({ email: USER });
      expect((await page.request.post(`${app}/refresh`)).status()).toBe(200);
      expect(issued).toHaveLength(2);
      const [first, current] = issued as [oidc.TokenEndpointResponse, oidc.TokenEndpointResponse];
      expect(current.refresh_token).not.toBe(first.refresh_token);

      // RP-initiated logout: the provider's confirmation page, in the pages' look, then back to the app.
      await submit(page, 'Sign out');
      expect(new URL(page.url()).pathname).toBe('/oauth2/logout');
      await expect(h1(page)).resolves.toBe('Sign out?');
      await expect(page.getByText('Example web app asks to sign you out of Solar Accounts.').count()).resolves.toBe(1);
      await expectPlainAccessiblePage(page);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.waitForURL(`${app}/`);
      await expect(page.getByText('Signed out').count()).resolves.toBe(1);

      // The app's tokens are dead, and so is the sign-in: the next app sign-in asks for the password.
      const rp = await oidc.discovery(new URL(gatewayUrl), registered.client_id, registered.client_secret, undefined, {
        execute: [oidc.allowInsecureRequests],
      });
      expect(await oidc.tokenIntrospection(rp, current.access_token)).toEqual({ active: false });
      expect(await oidc.tokenIntrospection(rp, current.refresh_token!)).toEqual({ active: false });
      await page.goto(`${app}/login`);
      await expect(h1(page)).resolves.toBe('Sign in');
    } finally {
      await context.close();
      await webApp.close();
    }
  });

  it("the provider's error and signed-out pages: a sentence in the pages' look, English and German, no script", async () => {
    const registered = await registerClient({ client_name: 'Error RP', redirect_uris: [redirectUri] });
    const config = await oidc.discovery(new URL(gatewayUrl), registered.client_id, registered.client_secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    // A redirect URI one character off: never a redirect, our page instead.
    const offByOne = oidc.buildAuthorizationUrl(config, {
      redirect_uri: `${redirectUri}x`,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(oidc.randomPKCECodeVerifier()),
      code_challenge_method: 'S256',
    });
    const pages = [
      { locale: 'en-GB', url: offByOne.href, title: 'This sign-in request cannot go on', text: 'an address it has not registered' },
      { locale: 'de-DE', url: offByOne.href, title: 'Diese Anmeldeanfrage kann nicht weitergehen', text: 'nicht angemeldet hat' },
      { locale: 'en-GB', url: `${gatewayUrl}/oauth2/logout/success`, title: 'You are signed out', text: 'You have signed out of' },
      { locale: 'de-DE', url: `${gatewayUrl}/oauth2/logout/success`, title: 'Sie sind abgemeldet', text: 'Sie haben sich von' },
    ];
    for (const expected of pages) {
      const context = await browser.newContext({ locale: expected.locale });
      const page = await context.newPage();
      const response = await page.goto(expected.url);
      expect(new URL(page.url()).origin).toBe(gatewayUrl);
      await expect(h1(page)).resolves.toBe(expected.title);
      await expect(page.locator('main').textContent()).resolves.toContain(expected.text);
      if (expected.url === offByOne.href) {
        expect(response?.status()).toBe(400);
        await expect(page.locator('main code').textContent()).resolves.toBe('invalid_redirect_uri');
      }
      await expectPlainAccessiblePage(page);
      await context.close();
    }
  });

  it('prompt=login and max_age ask a signed-in browser for the password again; auth_time moves', async () => {
    // oidc-provider judges max_age by the system's clock: identity's runs on it from here (the admin has no second factor).
    time.realTime();
    const registered = await registerClient({ client_name: 'First-party RP', redirect_uris: [redirectUri], first_party: true });
    const config = await oidc.discovery(new URL(gatewayUrl), registered.client_id, registered.client_secret, undefined, {
      execute: [oidc.allowInsecureRequests],
    });
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${gatewayUrl}/login`);
    await signInWith(page, ADMIN);
    const authTime = async (params: Record<string, string>, signsInAgain: boolean) => {
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        ...params,
      });
      await page.goto(url.href);
      if (signsInAgain) {
        await expect(h1(page)).resolves.toBe('Sign in');
        await expect(page.getByText('The app asks you to sign in again.').count()).resolves.toBe(1);
        await signInWith(page, ADMIN);
      }
      await page.waitForURL((at) => at.href.startsWith(redirectUri));
      const tokens = await oidc.authorizationCodeGrant(config, new URL(page.url()), { pkceCodeVerifier: verifier, expectedState: state });
      return tokens.claims()!.auth_time!;
    };
    // Signed in at the pages: the first app sign-in needs nothing more.
    const signedIn = await authTime({}, false);
    await nextSecond();
    const afterPromptLogin = await authTime({ prompt: 'login' }, true);
    expect(afterPromptLogin).toBeGreaterThan(signedIn);
    await nextSecond();
    const afterMaxAge = await authTime({ max_age: '0' }, true);
    expect(afterMaxAge).toBeGreaterThan(afterPromptLogin);
    await context.close();
  });

  it('e2e/examples/oidc-native-app.ts: a public client with a loopback redirect on a port of its choosing, PKCE, refresh', async () => {
    const registered = await registerClient({
      client_name: 'Example native app',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      redirect_uris: [LOOPBACK_REDIRECT],
    });
    expect(registered).not.toHaveProperty('client_secret');
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    const signedIn = await signInNative({
      issuer: new URL(gatewayUrl),
      clientId: registered.client_id,
      allowInsecureRequests: true,
      openBrowser: async (url) => {
        await page.goto(url);
        await signInWith(page, ADMIN);
        await page.getByRole('button', { name: 'Allow', exact: true }).click();
        await page.waitForURL((at) => at.hostname === '127.0.0.1' && at.pathname === '/callback');
      },
    });
    expect(signedIn.tokens.claims()).toMatchObject({ email: ADMIN, aud: registered.client_id });
    const refreshed = await signedIn.refresh(signedIn.tokens.refresh_token!);
    expect(refreshed.refresh_token).toBeDefined();
    await expect(signedIn.refresh(signedIn.tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    await context.close();
  });
});

/** The operator's registration, as docs/oidc.md shows it. */
async function registerClient(metadata: Record<string, unknown>) {
  return expectJson<{ client_id: string; client_secret: string }>(
    await call('/admin/oauth/clients', { token: adminToken, body: metadata }),
    201,
  );
}

async function signInWith(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Sign in');
}

async function signInWithTotp(page: Page, email: string): Promise<void> {
  await signInWith(page, email);
  time.nextStep();
  await page.getByLabel('Code from your app').fill(await time.codeAt(totpSecret));
  await submit(page, 'Verify');
}

/** The provider's own pages work without script and pass axe. */
async function expectPlainAccessiblePage(page: Page): Promise<void> {
  await expect(page.locator('script').count()).resolves.toBe(0);
  await expect(page.locator('link[rel=stylesheet]').getAttribute('href')).resolves.toBe('/assets/site.css');
  await expect(seriousViolations(page)).resolves.toEqual([]);
}

/** Until the clock's second changes: sign-in times are whole seconds, and the next must be later. */
const nextSecond = () => new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
