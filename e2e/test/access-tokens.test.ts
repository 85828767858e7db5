import { TokenMinter, unsignedToken } from '@solar/chassis/testing';
import { recordingProxy, type RecordedRequest } from './support/recording-proxy';
import { TestStack } from './support/stack';

/**
 * The JWT check at the gateway, against a real identity (its JWKS, its tokens), with a recording
 * pass-through in front of identity to prove what the gateway stopped never reached it.
 */
const stack = new TestStack('gateway-jwt');
let gatewayUrl: string;
let identity: Awaited<ReturnType<typeof recordingProxy>>;
let identityKey: TokenMinter;
let stranger: TokenMinter;
let accessToken: string;
let userId: string;

const reached = (path: string) => identity.seen.filter((request: RecordedRequest) => request.url.startsWith(path));

function call(path: string, init: { method?: string; token?: string; headers?: Record<string, string>; body?: unknown } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token !== undefined) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${gatewayUrl}/v1${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

async function expectInvalidToken(response: Response): Promise<void> {
  expect(response.status).toBe(401);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.headers.get('www-authenticate')).toBe('Bearer realm="solar-accounts", error="invalid_token"');
  expect(await response.json()).toMatchObject({ code: 'unauthorized', status: 401 });
}

beforeAll(async () => {
  const running = await stack.startIdentity();
  identity = await recordingProxy(running.url);
  gatewayUrl = (await stack.startGateway({ IDENTITY_URL: identity.url, JWKS_REFETCH_COOLDOWN: '1h' })).url;
  identityKey = await TokenMinter.fromSigningKeys(stack.signingKeys);
  stranger = await TokenMinter.generate(identityKey.kid);
  const email = `jwt.${stack.name}@example.test`.toLowerCase();
  const password = 'correct horse battery';
  expect((await call('/auth/register', { body: { email, password } })).status).toBe(201);
  const login = await call('/auth/login', { body: { email, password } });
  expect(login.status).toBe(200);
  accessToken = ((await login.json()) as { access_token: string }).access_token;
  const me = await call('/users/me', { token: accessToken });
  expect(me.status).toBe(200);
  userId = ((await me.json()) as { id: string }).id;
});

afterAll(async () => {
  await stack.stop();
  await identity.close();
});

beforeEach(() => {
  identity.seen.length = 0;
});

describe('the JWT check at the gateway', () => {
  it("passes identity's own tokens through to the service", async () => {
    const response = await call('/users/me', { token: accessToken });
    expect(response.status).toBe(200);
    expect(reached('/users/me')).toHaveLength(1);
  });

  it('stops a request without a token to a protected route, with a plain Bearer challenge', async () => {
    const response = await call('/users/me');
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="solar-accounts"');
    expect(await response.json()).toMatchObject({ code: 'unauthorized' });
    expect((await call('/auth/logout', { body: {} })).status).toBe(401);
    expect(identity.seen).toHaveLength(0);
  });

  it.each([
    ['forged: signed by another key under identity’s key id', () => stranger.sign('someone', { roles: ['admin'] })],
    ['expired', () => identityKey.sign('someone', { expiresIn: '-1m' })],
    ['for another audience', () => identityKey.sign('someone', { audience: 'another-api' })],
    ['from another issuer', () => identityKey.sign('someone', { issuer: 'evil' })],
    ['of another type (not at+jwt)', () => identityKey.sign('someone', { typ: 'JWT' })],
    ['unsigned (alg: none)', async () => unsignedToken('someone')],
    [
      'tampered: a signed token whose payload was changed',
      async () => {
        const [header, , signature] = accessToken.split('.');
        const payload = Buffer.from(JSON.stringify({ sub: 'someone-else', roles: ['admin'] })).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    ['not a JWT at all', async () => 'not-a-token'],
  ])('stops a token %s with 401 invalid_token before identity sees it', async (_label, mint) => {
    await expectInvalidToken(await call('/users/me', { token: await mint() }));
    expect(identity.seen).toHaveLength(0);
  });

  it('stops a token signed by an unknown key, and fetches the key set once for a stream of unknown key ids', async () => {
    const intruder = await TokenMinter.generate('unknown-kid');
    for (let i = 0; i < 10; i++) {
      const token = await intruder.sign('someone', { kid: `forged-${i}` });
      await expectInvalidToken(await call('/admin/users', { token }));
    }
    expect(reached('/admin')).toHaveLength(0);
    // The first unknown kid may refetch the keys (the cooldown then holds); none of the others does.
    expect(reached('/.well-known/jwks.json').length).toBeLessThanOrEqual(1);
  });

  it('lets public routes through without a token, and ignores a stale token there', async () => {
    for (const path of [
      '/auth/login',
      '/auth/request-password-reset',
      '/auth/verify-email',
      '/auth/reset-password',
      '/auth/token/refresh',
    ]) {
      const response = await call(path, { body: {} });
      expect(response.status).toBe(400); // identity's own validation answered
      expect(reached(path)).toHaveLength(1);
    }
    expect((await call('/.well-known/jwks.json')).status).toBe(200);
    expect((await call('/auth/login', { body: {}, token: 'expired.or.stale' })).status).toBe(400);
  });

  it('strips identity headers a client sends before proxying', async () => {
    const response = await call('/users/me', {
      token: accessToken,
      headers: { 'x-user-id': 'admin', 'x-user-roles': 'admin', 'x-authenticated-userid': 'admin', 'x-forwarded-user': 'admin' },
    });
    expect(response.status).toBe(200);
    const [forwarded] = reached('/users/me');
    expect(Object.keys(forwarded!.headers).filter((name) => /^x-(user|authenticated|forwarded-user)/.test(name))).toEqual([]);
    expect(forwarded!.headers.authorization).toBe(`Bearer ${accessToken}`);
    expect(((await response.json()) as { id: string }).id).toBe(userId);
  });
});
