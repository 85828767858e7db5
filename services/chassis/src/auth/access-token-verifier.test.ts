import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { AppError } from '../http/app-error';
import { accessTokenVerifier, bearerToken } from './access-token-verifier';

const settings = { issuer: 'solar-accounts', audience: 'solar-api' };
const COOLDOWN_MS = 300;

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  return { kid, privateKey: pair.privateKey, jwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'EdDSA' } };
}

function token(key: SigningKey, kid = key.kid): Promise<string> {
  return new SignJWT({ sid: 's-1', roles: ['user'] })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'at+jwt' })
    .setIssuer(settings.issuer)
    .setAudience(settings.audience)
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

/** A stand-in for identity's /.well-known/jwks.json that counts how often it is asked. */
let server: Server;
let jwksUrl: string;
let published: JWK[] = [];
let fetches = 0;
let down = false;

beforeAll(async () => {
  server = createServer((_req, res) => {
    fetches += 1;
    if (down) return void res.writeHead(503).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  fetches = 0;
  down = false;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('accessTokenVerifier against a remote key set', () => {
  it('fetches the keys once, however many forged key ids arrive during the cooldown', async () => {
    const current = await signingKey('k1');
    published = [current.jwk];
    const verify = accessTokenVerifier({ ...settings, jwksUrl, refetchCooldownMs: COOLDOWN_MS });
    await expect(verify(await token(current))).resolves.toEqual({ userId: 'user-1', roles: ['user'] });
    const intruder = await signingKey('intruder');
    for (let i = 0; i < 20; i++) await expect(verify(await token(intruder, `forged-${i}`))).rejects.toMatchObject({ code: 'unauthorized' });
    expect(fetches).toBe(1);
  });

  it("picks up identity's new key after the cooldown, without a restart", async () => {
    const old = await signingKey('k-old');
    published = [old.jwk];
    const verify = accessTokenVerifier({ ...settings, jwksUrl, refetchCooldownMs: COOLDOWN_MS });
    await expect(verify(await token(old))).resolves.toMatchObject({ userId: 'user-1' });
    const rotated = await signingKey('k-new');
    published = [rotated.jwk, old.jwk];
    await sleep(COOLDOWN_MS + 100);
    await expect(verify(await token(rotated))).resolves.toMatchObject({ userId: 'user-1' });
    await expect(verify(await token(old))).resolves.toMatchObject({ userId: 'user-1' });
    expect(fetches).toBe(2);
  });

  it('reports an unreadable key set as service_unavailable, not as a bad token', async () => {
    down = true;
    const key = await signingKey('k1');
    const verify = accessTokenVerifier({ ...settings, jwksUrl, refetchCooldownMs: COOLDOWN_MS });
    const failure = await verify(await token(key)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'service_unavailable' });
  });
});

describe('bearerToken', () => {
  it('reads a bearer token and nothing else', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('Basic dTpw')).toBeUndefined();
    expect(bearerToken('Bearer two tokens')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
