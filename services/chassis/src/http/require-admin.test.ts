import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { accessTokenVerifier } from '../auth/access-token-verifier';
import { createLogger } from '../logger';
import { Health } from './health';
import { createHttpApp } from './http-app';
import { requireAdmin } from './require-admin';
import { createServer as createTcpServer } from 'node:net';

const logger = createLogger({ service: 'test', level: 'silent' });
const settings = { jwksUrl: 'http://127.0.0.1:1/unused', issuer: 'solar-accounts', audience: 'solar-api' };

let signing: { key: CryptoKey; jwk: JWK };
let other: CryptoKey;
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

async function token(
  claims: Record<string, unknown>,
  options: { key?: CryptoKey; typ?: string; issuer?: string; audience?: string; expiresIn?: string } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: 'k1', typ: options.typ ?? 'at+jwt' })
    .setIssuer(options.issuer ?? settings.issuer)
    .setAudience(options.audience ?? settings.audience)
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? signing.key);
}

beforeAll(async () => {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  signing = { key: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'EdDSA' } };
  other = (await generateKeyPair('EdDSA', { crv: 'Ed25519' })).privateKey;
  const verify = accessTokenVerifier(settings, createLocalJWKSet({ keys: [signing.jwk] }));
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
    expect(await call('/admin', await token({ sid: 's1', roles: ['user', 'admin'] }))).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('refuses a valid token without the admin role with 403 problem+json', async () => {
    const response = await call('/admin', await token({ sid: 's1', roles: ['user'] }));
    expect(response).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(response.type).toContain('application/problem+json');
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
    const { otherKey, ...rest } = { otherKey: false, ...variant };
    const options = otherKey ? { ...rest, key: other } : rest;
    expect(await call('/admin', await token({ sid: 's1', roles: ['admin'] }, options))).toMatchObject({ status: 401 });
  });

  it('answers 401 for an unsigned token that claims admin', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url');
    const payload = Buffer.from(
      JSON.stringify({ sub: 'u', sid: 's', roles: ['admin'], iss: settings.issuer, aud: settings.audience, exp: 9e9, iat: 1 }),
    ).toString('base64url');
    expect(await call('/admin', `${header}.${payload}.`)).toMatchObject({ status: 401 });
  });

  it("answers 503, not 401, when identity's key set cannot be fetched", async () => {
    expect(await call('/admin-without-keys', await token({ sid: 's1', roles: ['admin'] }))).toMatchObject({
      status: 503,
      body: { code: 'service_unavailable' },
    });
  });
});
