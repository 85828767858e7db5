import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { AppError } from '@solar/chassis';
import { TokenMinter } from '@solar/chassis/testing';
import { AccessTokens } from './access-tokens';
import { generateSigningKey, type SigningJwk } from './signing-keys';

const settings = (now: () => Date) => ({ issuer: 'solar-accounts', audience: 'solar-api', ttlMs: 15 * 60_000, clock: now });
const claims = { userId: 'user-1', sessionId: '00000000-0000-4000-8000-000000000001', roles: ['user'], emailVerified: true };
const start = new Date('2026-03-01T10:00:00Z');
const iat = Math.floor(start.getTime() / 1000);

let key: SigningJwk;
let tokens: AccessTokens;
let now: Date;

beforeAll(async () => {
  key = await generateSigningKey('k1');
});

beforeEach(async () => {
  now = start;
  tokens = await AccessTokens.create(
    [key],
    settings(() => now),
  );
});

const refusal = (token: string) =>
  tokens.verify(token).then(
    () => 'accepted',
    (error: unknown) => (error instanceof AppError ? `${error.status} ${error.code}` : String(error)),
  );

/** A token signed with our own private key but with chosen header and claims. */
async function signedWith(jwk: SigningJwk, payload: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const base = { iss: 'solar-accounts', aud: 'solar-api', sub: 'user-1', sid: claims.sessionId, roles: ['user'], iat, exp: iat + 900 };
  return (await TokenMinter.fromJwk(jwk)).signPayload({ ...base, ...payload }, header);
}

describe('AccessTokens', () => {
  it('accepts what it signed and returns the claims', async () => {
    expect(await tokens.verify(await tokens.sign(claims))).toEqual(claims);
  });

  it('publishes every key without its private part', () => {
    expect(tokens.jwks().keys).toEqual([{ kty: 'OKP', crv: 'Ed25519', x: key.x, kid: 'k1', alg: 'EdDSA', use: 'sig' }]);
  });

  it('refuses a token one second past its 15 minutes, and accepts it at the last second', async () => {
    const token = await tokens.sign(claims);
    now = new Date(start.getTime() + 900_000 - 1_000);
    expect(await refusal(token)).toBe('accepted');
    now = new Date(start.getTime() + 900_000);
    expect(await refusal(token)).toBe('401 unauthorized');
  });

  it('refuses an unsigned token (alg none)', async () => {
    const unsigned = new UnsecuredJWT({ sid: claims.sessionId, roles: ['admin'] })
      .setIssuer('solar-accounts')
      .setAudience('solar-api')
      .setSubject('user-1')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .encode();
    expect(await refusal(unsigned)).toBe('401 unauthorized');
  });

  it('refuses HS256 signed with the public key as the HMAC secret (key confusion)', async () => {
    const secret = new TextEncoder().encode(JSON.stringify(tokens.jwks().keys[0]));
    const forged = await new SignJWT({ sid: claims.sessionId, roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer('solar-accounts')
      .setAudience('solar-api')
      .setSubject('user-1')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .sign(secret);
    expect(await refusal(forged)).toBe('401 unauthorized');
    const rawX = Buffer.from(key.x, 'base64url');
    const forgedRaw = await new SignJWT({ sid: claims.sessionId, roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'at+jwt' })
      .setIssuer('solar-accounts')
      .setAudience('solar-api')
      .setSubject('user-1')
      .setIssuedAt(iat)
      .setExpirationTime(iat + 900)
      .sign(rawX);
    expect(await refusal(forgedRaw)).toBe('401 unauthorized');
  });

  it('refuses a valid signature by a key it does not publish, whatever kid it claims', async () => {
    const stranger = await generateSigningKey('stranger');
    expect(await refusal(await signedWith(stranger, {}))).toBe('401 unauthorized');
    expect(await refusal(await signedWith({ ...stranger, kid: 'k1' }, {}))).toBe('401 unauthorized');
  });

  it.each([
    ['another audience', { aud: 'someone-else' }],
    ['another issuer', { iss: 'evil' }],
    ['no session id', { sid: undefined }],
    ['roles that are not a list', { roles: 'admin' }],
    ['no expiry', { exp: undefined }],
  ])('refuses a token with %s even when signed by our key', async (_label, payload) => {
    expect(await refusal(await signedWith(key, payload))).toBe('401 unauthorized');
  });

  it('accepts our key with the right claims, so the refusals above are about the claims', async () => {
    expect(await refusal(await signedWith(key, {}))).toBe('accepted');
  });

  it('refuses a token without typ at+jwt, or with another typ', async () => {
    expect(await refusal(await signedWith(key, {}, { typ: undefined }))).toBe('401 unauthorized');
    expect(await refusal(await signedWith(key, {}, { typ: 'JWT' }))).toBe('401 unauthorized');
  });

  it('refuses a payload changed after signing', async () => {
    const [header, , signature] = (await tokens.sign(claims)).split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'user-1', sid: claims.sessionId, roles: ['admin'], iat, exp: iat + 900 })).toString(
      'base64url',
    );
    expect(await refusal(`${header}.${payload}.${signature}`)).toBe('401 unauthorized');
  });

  it('verifies tokens of every published key but signs with the first private one', async () => {
    const older = await generateSigningKey('old');
    const olderToken = await (
      await AccessTokens.create(
        [older],
        settings(() => now),
      )
    ).sign(claims);
    const { d: _d, ...olderPublic } = older;
    const rotated = await AccessTokens.create(
      [await generateSigningKey('new'), olderPublic],
      settings(() => now),
    );
    expect(await rotated.verify(olderToken)).toEqual(claims);
    const fresh = await rotated.sign(claims);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0]!, 'base64url').toString())).toMatchObject({ kid: 'new' });
  });

  it('signs and verifies with ES256 keys too', async () => {
    const es = await AccessTokens.create(
      [await generateSigningKey('es', 'ES256')],
      settings(() => now),
    );
    expect(await es.verify(await es.sign(claims))).toEqual(claims);
    expect(es.jwks().keys[0]).not.toHaveProperty('d');
  });

  it('refuses to start without a private key', async () => {
    const { d: _d, ...publicOnly } = key;
    await expect(
      AccessTokens.create(
        [publicOnly],
        settings(() => now),
      ),
    ).rejects.toThrow('no signing key');
  });

  it('refuses a token signed with another algorithm on a published key id', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'k1', alg: 'ES256' } as SigningJwk;
    expect(await refusal(await signedWith(jwk, {}))).toBe('401 unauthorized');
  });
});
