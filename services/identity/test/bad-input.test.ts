import { AuthHarness, type Tokens } from './auth-harness';

const h = new AuthHarness('identity-bad-input');
// Known before the service starts, so the table of cases can name them.
const owner = { email: h.address('owner'), password: 'a perfectly good password', tokens: undefined as unknown as Tokens };

beforeAll(async () => {
  await h.start();
  await h.registered('owner', owner.password);
  owner.tokens = await h.signedIn(owner.email, owner.password);
});
afterAll(() => h.stop());

const HUGE = 'x'.repeat(2 * 1024 * 1024);
type Case = [label: string, path: string, body: unknown, status: number, code: string, options?: { auth?: boolean; type?: string }];

const cases: Case[] = [
  ['login: operators in both fields', '/auth/login', { email: { $ne: null }, password: { $gt: '' } }, 400, 'validation_failed'],
  [
    'login: operator as the password of a real address',
    '/auth/login',
    { email: owner.email, password: { $ne: 'x' } },
    400,
    'validation_failed',
  ],
  ['login: $where as the address', '/auth/login', { email: { $where: 'sleep(1000)' }, password: 'x' }, 400, 'validation_failed'],
  ['login: wrong types', '/auth/login', { email: 42, password: true }, 400, 'validation_failed'],
  ['login: arrays', '/auth/login', { email: [owner.email], password: [owner.password] }, 400, 'validation_failed'],
  ['login: missing password', '/auth/login', { email: owner.email }, 400, 'validation_failed'],
  ['login: empty object', '/auth/login', {}, 400, 'validation_failed'],
  ['login: a JSON array body', '/auth/login', [owner.email, owner.password], 400, 'validation_failed'],
  ['login: non-JSON', '/auth/login', '{"email": "a@b.c", "password": ', 400, 'malformed_json'],
  ['login: a password over 1024 characters', '/auth/login', { email: owner.email, password: 'p'.repeat(1025) }, 400, 'validation_failed'],
  ['login: 2 MB body', '/auth/login', { email: owner.email, password: HUGE }, 413, 'payload_too_large'],
  ['login: plain text instead of JSON', '/auth/login', 'email=a&password=b', 400, 'validation_failed', { type: 'text/plain' }],
  [
    'login: bracket operator in the form',
    '/auth/login',
    'username[$ne]=x&password[$ne]=y',
    400,
    'validation_failed',
    { type: 'application/x-www-form-urlencoded' },
  ],
  [
    'login: another grant type in the form',
    '/auth/login',
    `grant_type=client_credentials&username=${encodeURIComponent('a@b.c')}&password=p`,
    400,
    'validation_failed',
    { type: 'application/x-www-form-urlencoded' },
  ],
  ['refresh: operator as the token', '/auth/token/refresh', { refresh_token: { $ne: null } }, 400, 'validation_failed'],
  ['refresh: array', '/auth/token/refresh', { refresh_token: ['a', 'b'] }, 400, 'validation_failed'],
  ['refresh: missing token', '/auth/token/refresh', {}, 400, 'validation_failed'],
  ['refresh: wrong type', '/auth/token/refresh', { refresh_token: 12345 }, 400, 'validation_failed'],
  ['refresh: non-JSON', '/auth/token/refresh', '{"refresh_token"', 400, 'malformed_json'],
  ['refresh: 2 MB body', '/auth/token/refresh', { refresh_token: HUGE }, 413, 'payload_too_large'],
  [
    'refresh: form without grant type',
    '/auth/token/refresh',
    'refresh_token=abc',
    400,
    'validation_failed',
    { type: 'application/x-www-form-urlencoded' },
  ],
  ['logout: all as a string', '/auth/logout', { all: 'yes' }, 400, 'validation_failed', { auth: true }],
  ['logout: all as an operator', '/auth/logout', { all: { $ne: false } }, 400, 'validation_failed', { auth: true }],
  ['logout: a JSON array body', '/auth/logout', [true], 400, 'validation_failed', { auth: true }],
  ['logout: non-JSON', '/auth/logout', '{"all": tru', 400, 'malformed_json', { auth: true }],
  ['logout: 2 MB body', '/auth/logout', { all: true, pad: HUGE }, 413, 'payload_too_large', { auth: true }],
  ['verify-email: operator as the token', '/auth/verify-email', { token: { $ne: null } }, 400, 'validation_failed'],
  ['verify-email: array', '/auth/verify-email', { token: ['a'] }, 400, 'validation_failed'],
  ['verify-email: missing token', '/auth/verify-email', {}, 400, 'validation_failed'],
  ['verify-email: non-JSON', '/auth/verify-email', 'token=', 400, 'malformed_json'],
  ['verify-email: 2 MB body', '/auth/verify-email', { token: HUGE }, 413, 'payload_too_large'],
  ['register: operators', '/auth/register', { email: { $ne: null }, password: { $gt: '' } }, 400, 'validation_failed'],
  ['register: arrays', '/auth/register', { email: [h.address('arr')], password: ['long enough password'] }, 400, 'validation_failed'],
  ['register: wrong types', '/auth/register', { email: 42, password: 42 }, 400, 'validation_failed'],
  ['register: non-JSON', '/auth/register', '{"email":', 400, 'malformed_json'],
  ['register: 2 MB body', '/auth/register', { email: h.address('huge'), password: HUGE }, 413, 'payload_too_large'],
];

/** Documents per collection; empty ones left out, since identity creates collections (with their indexes) in the background. */
async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const { name } of await h.db.db!.listCollections().toArray()) {
    const count = await h.db.collection(name).countDocuments({});
    if (count > 0) result[name] = count;
  }
  return result;
}

describe('bad input gets 400/413 problem+json with a stable code, never 500', () => {
  let before: Record<string, number>;
  beforeAll(async () => {
    before = await counts();
  });

  it.each(cases.map((c) => [c[0], c] as const))('%s', async (_label, [, path, body, status, code, options = {}]) => {
    const response = await h.request(path, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': options.type ?? 'application/json' },
      ...(options.auth ? { token: owner.tokens.access_token } : {}),
    });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status, code, type: `urn:solar-accounts:problem:${code}`, title: expect.any(String) });
    expect(JSON.stringify(problem)).not.toContain(owner.password);
  });

  it('changed nothing: same documents, no throttle, the session still live and the password still good', async () => {
    expect(await counts()).toEqual(before);
    expect(await h.db.collection('login_throttles').countDocuments({})).toBe(0);
    expect((await h.sessions(owner.tokens.access_token)).status).toBe(200);
    expect((await h.login(owner.email, owner.password)).status).toBe(200);
  });
});
