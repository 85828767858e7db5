import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createLocalJWKSet } from 'jose';
import { accessTokenVerifier } from '../auth/access-token-verifier';
import { createLogger } from '../logger';
import { TokenMinter, unsignedToken, type TokenOptions } from '../testing/token-minter';
import { Health } from './health';
import { createHttpApp } from './http-app';
import { requireAdmin } from './require-admin';
import { createServer as createTcpServer } from 'node:net';

const logger = createLogger({ service: 'test', level: 'silent' });
const settings = { jwksUrl: 'http://127.0.0.1:1/unused', issuer: 'solar-accounts', audience: 'solar-api' };

let signing: TokenMinter;
let other: TokenMinter;
let server: Server;
let baseUrl: string;

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
  const app = createHttpApp({
    logger,
    health: new Health(),
    routes: (router: express.Express) => {
      router.get('/admin', requireAdmin(verify, logger), (_req, res) => {
        res.json({ ok: true });
      });
      router.get('/admin-without-keys', requireAdmin(unavailable, logger), (_req, res) => {
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
});

async function call(path: string, bearer?: string) {
  const response = await fetch(`${baseUrl}${path}`, bearer === undefined ? {} : { headers: { authorization: `Bearer ${bearer}` } });
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

  it("answers 503, not 401, when identity's key set cannot be fetched", async () => {
    expect(await call('/admin-without-keys', await token(['admin']))).toMatchObject({
      status: 503,
      body: { code: 'service_unavailable' },
    });
  });
});
