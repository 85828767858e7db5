import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createLocalJWKSet } from 'jose';
import { accessTokenVerifier } from '../auth/access-token-verifier';
import { sessionIntrospector } from '../auth/session-introspection';
import { createLogger } from '../logger';
import { TokenMinter, unsignedToken, type TokenOptions } from '../testing/token-minter';
import { Health } from './health';
import { createHttpApp } from './http-app';
import { adminIdOf, requireAdmin } from './require-admin';
import { createServer as createTcpServer } from 'node:net';

const logger = createLogger({ service: 'test', level: 'silent' });
const settings = { jwksUrl: 'http://127.0.0.1:1/unused', issuer: 'solar-accounts', audience: 'solar-api' };

let signing: TokenMinter;
let other: TokenMinter;
let server: Server;
let baseUrl: string;
let identity: Server;
/** What the stand-in for identity's GET /internal/session answers, by bearer token. */
const ended = new Set<string>();
const demoted = new Set<string>();
const signedInLongAgo = new Set<string>();
let introspections = 0;
/** Sets the introspection cache's clock (milliseconds). */
let clock: (ms: number) => void;

/** A JWKS URL on a port nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const probe = createTcpServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return `http://127.0.0.1:${port}/.well-known/jwks.json`;
}

const token = (roles: string[], options: TokenOptions = {}) => signing.sign('user-1', { sid: 's1', roles, ...options });

beforeAll(async () => {
  signing = await TokenMinter.generate('k1');
  // Another key under the same key id: a forgery.
  other = await TokenMinter.generate('k1');
  const verify = accessTokenVerifier(settings, createLocalJWKSet(signing.jwks));
  const unavailable = accessTokenVerifier({ ...settings, jwksUrl: await closedPortUrl() });
  identity = createServer((req, res) => {
    introspections += 1;
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (ended.has(bearer)) {
      res.writeHead(401, { 'content-type': 'application/problem+json' }).end('{"code":"unauthorized"}');
      return;
    }
    const roles = demoted.has(bearer) ? ['user'] : ['user', 'admin'];
    const standing = { userId: 'user-1', sessionId: 's1', roles, signedInRecently: !signedInLongAgo.has(bearer), reauthWindowSeconds: 300 };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(standing));
  });
  await new Promise<void>((resolve) => identity.listen(0, '127.0.0.1', resolve));
  let now = 0;
  clock = (ms) => (now = ms);
  const session = sessionIntrospector({
    url: `http://127.0.0.1:${(identity.address() as AddressInfo).port}/internal/session`,
    now: () => now,
  });
  const identityAway = sessionIntrospector({ url: (await closedPortUrl()).replace('/.well-known/jwks.json', '/internal/session') });
  const app = createHttpApp({
    logger,
    health: new Health(),
    routes: (router: express.Express) => {
      router.get('/admin', requireAdmin(verify, logger, session), (_req, res) => {
        res.json({ ok: true });
      });
      router.post('/admin-action', requireAdmin(verify, logger, session, { recentSignIn: true }), (req, res) => {
        res.json({ adminId: adminIdOf(req) });
      });
      router.get('/admin-without-identity', requireAdmin(verify, logger, identityAway), (_req, res) => {
        res.json({ ok: true });
      });
      router.get('/admin-without-keys', requireAdmin(unavailable, logger, session), (_req, res) => {
        res.json({ ok: true });
      });
    },
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  identity.closeAllConnections();
  await new Promise((resolve) => identity.close(resolve));
});

async function call(path: string, bearer?: string, method = 'GET') {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    ...(bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } }),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
}

describe('requireAdmin', () => {
  it('lets an admin through', async () => {
    expect(await call('/admin', await token(['user', 'admin']))).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('refuses a valid token without the admin role with 403 problem+json', async () => {
    const response = await call('/admin', await token(['user']));
    expect(response).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(response.type).toContain('application/problem+json');
  });

  it('refuses an admin token for an unverified address, or one without the email_verified claim, with 403', async () => {
    expect(await call('/admin', await token(['user', 'admin'], { emailVerified: false }))).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
    const now = Math.floor(Date.now() / 1000);
    const withoutClaim = await signing.signPayload({
      iss: 'solar-accounts',
      aud: 'solar-api',
      sub: 'user-1',
      sid: 's1',
      roles: ['user', 'admin'],
      iat: now,
      exp: now + 300,
    });
    expect(await call('/admin', withoutClaim)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('answers 401 without a token', async () => {
    expect(await call('/admin')).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });

  it.each([
    ['signed by another key', { otherKey: true }],
    ['of another type (an ID token)', { typ: 'JWT' }],
    ['for another audience', { audience: 'someone-else' }],
    ['from another issuer', { issuer: 'evil' }],
    ['expired', { expiresIn: '-1m' }],
  ] as const)('answers 401 for a token %s', async (_label, variant) => {
    const { otherKey, ...options } = { otherKey: false, ...variant };
    const minter = otherKey ? other : signing;
    expect(await call('/admin', await minter.sign('user-1', { roles: ['admin'], ...options }))).toMatchObject({ status: 401 });
  });

  it('answers 401 for an unsigned token that claims admin', async () => {
    expect(await call('/admin', unsignedToken('u', ['admin']))).toMatchObject({ status: 401 });
  });

  it('answers 401 once the session behind a still-valid admin token has ended (logout, reuse revocation)', async () => {
    const bearer = await token(['user', 'admin'], { sid: 'ended' });
    ended.add(bearer);
    expect(await call('/admin', bearer)).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
  });

  it('answers 403 for a still-valid admin token whose user is no longer an admin', async () => {
    const bearer = await token(['user', 'admin'], { sid: 'demoted' });
    demoted.add(bearer);
    expect(await call('/admin', bearer)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('with recentSignIn, lets an admin signed in within identity’s window through, naming them', async () => {
    const bearer = await token(['user', 'admin'], { sid: 'fresh' });
    expect(await call('/admin-action', bearer, 'POST')).toMatchObject({ status: 200, body: { adminId: 'user-1' } });
  });

  it('with recentSignIn, refuses an admin signed in before the window with 403 reauthentication_required', async () => {
    const bearer = await token(['user', 'admin'], { sid: 'stale' });
    signedInLongAgo.add(bearer);
    expect(await call('/admin-action', bearer, 'POST')).toMatchObject({
      status: 403,
      body: { code: 'reauthentication_required', maxAgeSeconds: 300 },
    });
    // Reading wants no fresh sign-in.
    expect(await call('/admin', bearer)).toMatchObject({ status: 200 });
  });

  it('with recentSignIn, tells a stale non-admin only that it is no admin', async () => {
    const bearer = await token(['user'], { sid: 'stale-user' });
    signedInLongAgo.add(bearer);
    expect(await call('/admin-action', bearer, 'POST')).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('asks identity once per token within the cache window (5 s), again after it', async () => {
    clock(1_000_000);
    const bearer = await token(['user', 'admin'], { sid: 'cached' });
    const before = introspections;
    expect((await call('/admin', bearer)).status).toBe(200);
    ended.add(bearer);
    clock(1_004_999);
    expect((await call('/admin', bearer)).status).toBe(200);
    expect(introspections - before).toBe(1);
    clock(1_005_000);
    expect((await call('/admin', bearer)).status).toBe(401);
    expect(introspections - before).toBe(2);
  });

  it('answers 503 when identity cannot say whether the session stands', async () => {
    expect(await call('/admin-without-identity', await token(['admin']))).toMatchObject({
      status: 503,
      body: { code: 'service_unavailable' },
    });
  });

  it("answers 503, not 401, when identity's key set cannot be fetched", async () => {
    expect(await call('/admin-without-keys', await token(['admin']))).toMatchObject({
      status: 503,
      body: { code: 'service_unavailable' },
    });
  });
});
