import { SignJWT, UnsecuredJWT } from 'jose';
import { ConfigError } from '@solar/chassis';
import { testSigningKeys, TokenMinter } from '@solar/chassis/testing';
import { createIdentityService } from '../src/main';
import { generateSigningKey, type SigningJwk } from '../src/tokens/signing-keys';
import { AuthHarness, claimsOf, headerOf, type Tokens } from './auth-harness';

// Two keys from the start: the first signs; the second is the one the rotation test promotes later.
const oldKey = JSON.parse(testSigningKeys('old-key')).keys[0] as SigningJwk;
const newKey = JSON.parse(testSigningKeys('new-key')).keys[0] as SigningJwk;
const publicPart = ({ d: _d, ...rest }: SigningJwk) => rest;
const h = new AuthHarness('identity-access-token', { JWT_SIGNING_KEYS: JSON.stringify({ keys: [oldKey, publicPart(newKey)] }) });

let victim: { email: string; password: string; userId: string; tokens: Tokens };

beforeAll(async () => {
  await h.start();
  const user = await h.registered('victim');
  victim = { ...user, tokens: await h.signedIn(user.email, user.password) };
});
afterAll(() => h.stop());

/** The victim's real claims: a forgery that would otherwise be accepted, so only the flaw under test refuses it. */
const realClaims = () => claimsOf(victim.tokens.access_token);

async function signWith(key: SigningJwk, payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
  return (await TokenMinter.fromJwk(key)).signPayload(payload, header);
}

async function expectRefused(token: string) {
  const response = await h.sessions(token);
  expect(response.status).toBe(401);
  expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await response.json()).toMatchObject({ status: 401, code: 'unauthorized' });
}

describe('forged access tokens get 401 problem+json with WWW-Authenticate: Bearer', () => {
  it('accepts the genuine token and a re-signed copy of its claims (the control for every case below)', async () => {
    expect((await h.sessions(victim.tokens.access_token)).status).toBe(200);
    expect((await h.sessions(await signWith(oldKey, realClaims()))).status).toBe(200);
  });

  it('refuses alg none (unsigned)', async () => {
    const unsigned = new UnsecuredJWT({ ...realClaims(), roles: ['user', 'admin'] }).encode();
    await expectRefused(unsigned);
    // And "none" with our kid and typ in the header, with an empty signature.
    const header = Buffer.from(JSON.stringify({ alg: 'none', kid: 'old-key', typ: 'at+jwt' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify(realClaims())).toString('base64url');
    await expectRefused(`${header}.${payload}.`);
  });

  it('refuses HS256 signed with the public key as the secret (key confusion)', async () => {
    const jwks = (await (await h.request('/.well-known/jwks.json')).json()) as { keys: Record<string, string>[] };
    const published = jwks.keys.find((k) => k.kid === 'old-key')!;
    for (const secret of [Buffer.from(JSON.stringify(published)), Buffer.from(published.x!, 'base64url'), Buffer.from(published.x!)]) {
      const forged = await new SignJWT(realClaims()).setProtectedHeader({ alg: 'HS256', kid: 'old-key', typ: 'at+jwt' }).sign(secret);
      await expectRefused(forged);
    }
  });

  it('refuses a valid signature by a key we do not publish, under an unknown kid or under ours', async () => {
    const stranger = await generateSigningKey('stranger');
    await expectRefused(await signWith(stranger, realClaims()));
    await expectRefused(await signWith({ ...stranger, kid: 'old-key' }, realClaims()));
  });

  it('refuses a kid that points nowhere, with our own signature', async () => {
    await expectRefused(await signWith(oldKey, realClaims(), { kid: 'no-such-key' }));
  });

  it('refuses an expired token: the real one after 16 minutes, and one signed already expired', async () => {
    const signedAt = h.now;
    h.advance(16 * 60_000);
    try {
      await expectRefused(victim.tokens.access_token);
    } finally {
      h.now = signedAt;
    }
    const iat = Math.floor(h.now.getTime() / 1000) - 3_600;
    await expectRefused(await signWith(oldKey, { ...realClaims(), iat, exp: iat + 900 }));
  });

  it.each([
    ['another audience', { aud: 'other-api' }],
    ['another issuer', { iss: 'https://evil.example' }],
    ['no subject', { sub: undefined }],
    ['no session id', { sid: undefined }],
  ])('refuses %s, even signed with our key', async (_label, change) => {
    await expectRefused(await signWith(oldKey, { ...realClaims(), ...change }));
  });

  it('refuses a payload tampered to admin under the original signature', async () => {
    const [header, , signature] = victim.tokens.access_token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...realClaims(), roles: ['user', 'admin'] })).toString('base64url');
    await expectRefused(`${header}.${payload}.${signature}`);
  });

  it('refuses a token without typ, or with typ JWT', async () => {
    await expectRefused(await signWith(oldKey, realClaims(), { typ: undefined }));
    await expectRefused(await signWith(oldKey, realClaims(), { typ: 'JWT' }));
  });

  it('refuses a missing header, another scheme, and garbage', async () => {
    expect((await h.request('/users/me/sessions')).status).toBe(401);
    for (const authorization of [
      `Basic ${victim.tokens.access_token}`,
      'Bearer ',
      'Bearer not.a.jwt',
      `Bearer ${victim.tokens.refresh_token}`,
    ]) {
      const response = await h.request('/users/me/sessions', { headers: { authorization } });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    }
  });
});

describe('signing key rotation', () => {
  it('keeps tokens of the retiring key valid after a restart that signs with a new key', async () => {
    const before = await h.signedIn(victim.email, victim.password);
    expect(headerOf(before.access_token).kid).toBe('old-key');

    await h.stopService();
    await h.startService({ JWT_SIGNING_KEYS: JSON.stringify({ keys: [newKey, publicPart(oldKey)] }) });

    const jwks = (await (await h.request('/.well-known/jwks.json')).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual(['new-key', 'old-key']);
    expect(jwks.keys.filter((k) => 'd' in k)).toEqual([]);
    // An app verifying ID tokens reads the provider's JWKS: the same set, the retiring key included.
    expect(await (await fetch(`${h.baseUrl}/oauth2/jwks`)).json()).toEqual(jwks);

    expect((await h.sessions(before.access_token)).status).toBe(200);
    const after = await h.signedIn(victim.email, victim.password);
    expect(headerOf(after.access_token).kid).toBe('new-key');
    expect((await h.sessions(after.access_token)).status).toBe(200);
    const refreshed = (await (await h.refresh(before.refresh_token)).json()) as Tokens;
    expect(headerOf(refreshed.access_token).kid).toBe('new-key');
  });

  it('stops accepting a key once it is no longer published', async () => {
    const oldToken = await signWith(oldKey, realClaims());
    await h.stopService();
    await h.startService({ JWT_SIGNING_KEYS: JSON.stringify({ keys: [newKey] }) });
    await expectRefused(oldToken);
  });

  it('refuses to start with a key set that has no private key, naming JWT_SIGNING_KEYS', async () => {
    const service = createIdentityService({ ...h.env, JWT_SIGNING_KEYS: JSON.stringify({ keys: [publicPart(newKey)] }) });
    const failure = await service.start().then(
      () => null,
      (error: unknown) => error,
    );
    if (!failure) await service.stop();
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as ConfigError).message).toContain('JWT_SIGNING_KEYS');
    expect((failure as ConfigError).message).toContain('no key has a private part');
    expect((failure as ConfigError).message).not.toContain(newKey.x);
  });

  it('refuses to start with signing keys that are not JSON, naming the variable', async () => {
    const service = createIdentityService({ ...h.env, JWT_SIGNING_KEYS: 'not json' });
    await expect(service.start()).rejects.toThrow(/JWT_SIGNING_KEYS: is not JSON/);
  });
});
