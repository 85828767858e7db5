import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLocalJWKSet, type JWK, type JWTVerifyGetKey } from 'jose';
import { AppError } from '../http/app-error';
import { TokenMinter } from '../testing/token-minter';
import { accessTokenVerifier, bearerToken } from './access-token-verifier';

const settings = { issuer: 'solar-accounts', audience: 'solar-api' };
const COOLDOWN_MS = 300;

const signingKey = (kid: string) => TokenMinter.generate(kid);
/** The public JWK a stand-in identity publishes for the key. */
const jwkOf = (key: TokenMinter): JWK => key.jwks.keys[0]!;

function token(key: TokenMinter, kid = key.kid, claims: { sub?: string; iat?: number; exp?: number } = {}): Promise<string> {
  return key.sign(claims.sub ?? 'user-1', { kid, sid: 's-1', issuedAt: claims.iat, expiresAt: claims.exp });
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

describe('accessTokenVerifier against a remote key set', () => {
  it('fetches the keys once, however many forged key ids arrive during the cooldown', async () => {
    const current = await signingKey('k1');
    published = [jwkOf(current)];
    const verify = accessTokenVerifier({ ...settings, jwksUrl, refetchCooldownMs: COOLDOWN_MS });
    await expect(verify(await token(current))).resolves.toEqual({
      userId: 'user-1',
      roles: ['user'],
      emailVerified: true,
      sessionId: 's-1',
    });
    const intruder = await signingKey('intruder');
    for (let i = 0; i < 20; i++) await expect(verify(await token(intruder, `forged-${i}`))).rejects.toMatchObject({ code: 'unauthorized' });
    expect(fetches).toBe(1);
  });

  it("picks up identity's new key after the cooldown, without a restart", async () => {
    const old = await signingKey('k-old');
    published = [jwkOf(old)];
    const verify = accessTokenVerifier({ ...settings, jwksUrl, refetchCooldownMs: COOLDOWN_MS });
    await expect(verify(await token(old))).resolves.toMatchObject({ userId: 'user-1' });
    const rotated = await signingKey('k-new');
    published = [jwkOf(rotated), jwkOf(old)];
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

describe('accessTokenVerifier remembering verified tokens', () => {
  const T0 = Date.UTC(2030, 0, 1);
  let clock = T0;
  const now = () => clock;
  let key: TokenMinter;
  /** A key set that can withdraw identity's key and counts the full checks (jose asks it once per verification). */
  let withdrawn = false;
  let checks = 0;
  const keys: JWTVerifyGetKey = (header, input) => {
    checks += 1;
    return createLocalJWKSet({ keys: withdrawn ? [] : [jwkOf(key)] })(header, input);
  };
  const seconds = (ms: number) => Math.floor(ms / 1000);

  beforeAll(async () => {
    key = await signingKey('k1');
  });

  beforeEach(() => {
    clock = T0;
    withdrawn = false;
    checks = 0;
  });

  it('checks a token fully once and answers its repeats from memory', async () => {
    const verify = accessTokenVerifier({ ...settings, jwksUrl: 'http://127.0.0.1:1/unused', now }, keys);
    const valid = await token(key, key.kid, { iat: seconds(T0), exp: seconds(T0) + 300 });
    for (let i = 0; i < 5; i++)
      await expect(verify(valid)).resolves.toEqual({ userId: 'user-1', roles: ['user'], emailVerified: true, sessionId: 's-1' });
    expect(checks).toBe(1);
  });

  it('refuses a remembered token from its expiry on', async () => {
    const verify = accessTokenVerifier({ ...settings, jwksUrl: 'http://127.0.0.1:1/unused', now, cacheMaxAgeMs: 600_000 }, keys);
    const shortLived = await token(key, key.kid, { iat: seconds(T0), exp: seconds(T0) + 30 });
    await expect(verify(shortLived)).resolves.toMatchObject({ userId: 'user-1' });
    clock = T0 + 29_999;
    await expect(verify(shortLived)).resolves.toMatchObject({ userId: 'user-1' });
    clock = T0 + 30_000;
    await expect(verify(shortLived)).rejects.toMatchObject({ code: 'unauthorized' });
    clock = T0 + 31_000;
    await expect(verify(shortLived)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('checks the signature again after the maximum age, so a withdrawn key stops admitting its tokens', async () => {
    const verify = accessTokenVerifier({ ...settings, jwksUrl: 'http://127.0.0.1:1/unused', now, cacheMaxAgeMs: 60_000 }, keys);
    const valid = await token(key, key.kid, { iat: seconds(T0), exp: seconds(T0) + 900 });
    await expect(verify(valid)).resolves.toMatchObject({ userId: 'user-1' });
    withdrawn = true;
    clock = T0 + 59_000;
    await expect(verify(valid)).resolves.toMatchObject({ userId: 'user-1' });
    clock = T0 + 60_000;
    await expect(verify(valid)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not answer a token with any one byte changed from the memory of the original', async () => {
    const verify = accessTokenVerifier({ ...settings, jwksUrl: 'http://127.0.0.1:1/unused', now }, keys);
    const valid = await token(key, key.kid, { iat: seconds(T0), exp: seconds(T0) + 300 });
    await expect(verify(valid)).resolves.toMatchObject({ userId: 'user-1' });
    const [header = '', payload = '', signature = ''] = valid.split('.');
    const otherUser = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'user-2' })).toString(
      'base64url',
    );
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const tampered = [
      `${header}.${otherUser}.${signature}`,
      flip(valid, 5),
      flip(valid, header.length + 10),
      flip(valid, valid.length - 10),
      `${valid}A`,
      valid.slice(0, -1),
    ];
    for (const forged of tampered) await expect(verify(forged)).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('does not remember failures: a refused token is checked in full every time', async () => {
    const verify = accessTokenVerifier({ ...settings, jwksUrl: 'http://127.0.0.1:1/unused', now }, keys);
    const intruder = await signingKey('k1');
    const forged = await token(intruder, 'k1', { iat: seconds(T0), exp: seconds(T0) + 300 });
    for (let i = 0; i < 3; i++) await expect(verify(forged)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(checks).toBe(3);
  });

  it('keeps at most its bound of tokens, dropping the least recently used', async () => {
    const verify = accessTokenVerifier({ ...settings, jwksUrl: 'http://127.0.0.1:1/unused', now, cacheEntries: 3 }, keys);
    const tokens = await Promise.all(
      Array.from({ length: 50 }, (_, i) => token(key, key.kid, { sub: `user-${i}`, iat: seconds(T0), exp: seconds(T0) + 300 })),
    );
    for (const each of tokens) await verify(each);
    await verify(tokens[47] ?? '');
    withdrawn = true;
    const answers = await Promise.all(
      tokens.map((each) =>
        verify(each).then(
          () => 'remembered',
          () => 'checked again',
        ),
      ),
    );
    expect(answers.filter((answer) => answer === 'remembered')).toHaveLength(3);
    expect(answers.slice(47)).toEqual(['remembered', 'remembered', 'remembered']);
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
