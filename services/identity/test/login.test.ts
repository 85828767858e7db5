import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { Topics } from '@solar/contracts';
import { AuthHarness, claimsOf, headerOf, type Tokens } from './auth-harness';

// A low limit so a lock takes three attempts; the rest of the policy stays at its defaults (1 min, doubling).
const h = new AuthHarness('identity-login', { LOGIN_MAX_FAILURES: '3' });
const MINUTE = 60_000;

beforeAll(() => h.start());
afterAll(() => h.stop());

const problem = async (response: Response) => {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as Record<string, unknown>;
};

describe('login', () => {
  it('answers a JSON sign-in with an OAuth2 token response that is never cached', async () => {
    const { email, password } = await h.registered('json');
    const response = await h.login(email, password);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Tokens;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
  });

  it('accepts the OAuth2 password form with username and password', async () => {
    const { email, password } = await h.registered('form');
    const response = await h.request('/auth/login', { form: { grant_type: 'password', username: email, password } });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      refresh_token: expect.any(String),
    });
  });

  it('signs an EdDSA at+jwt with a published kid and the expected claims, verifiable against the JWKS', async () => {
    const { email, password, userId } = await h.registered('jwt');
    const tokens = await h.signedIn(email, password);
    const jwksResponse = await h.request('/.well-known/jwks.json');
    expect(jwksResponse.status).toBe(200);
    const jwks = (await jwksResponse.json()) as JSONWebKeySet;

    const header = headerOf(tokens.access_token);
    expect(header).toEqual({ alg: 'EdDSA', kid: expect.any(String), typ: 'at+jwt' });
    expect(jwks.keys.map((key) => key.kid)).toContain(header.kid);
    expect(jwks.keys.every((key) => !('d' in key))).toBe(true);

    const { payload } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
      issuer: 'solar-accounts',
      audience: 'solar-api',
      typ: 'at+jwt',
      algorithms: ['EdDSA'],
      currentDate: h.now,
    });
    const iat = Math.floor(h.now.getTime() / 1000);
    expect(payload).toEqual({
      iss: 'solar-accounts',
      aud: 'solar-api',
      sub: userId,
      sid: expect.stringMatching(/^[0-9a-f-]{36}$/),
      roles: ['user'],
      email_verified: false,
      iat,
      exp: iat + 900,
    });
  });

  it('publishes LoginSucceeded on the security topic with the session and the factors', async () => {
    const { email, password, userId } = await h.registered('succeeded');
    const tokens = await h.signedIn(email, password, { 'user-agent': 'login-test/1.0' });
    const sid = claimsOf(tokens.access_token).sid;
    const [found] = await h.waitForEvents('LoginSucceeded', (data) => data.userId === userId);
    expect(found!.topic).toBe(h.topic(Topics.identitySecurity));
    expect(found!.event.data).toEqual({
      userId,
      sessionId: sid,
      factors: ['password'],
      ip: expect.any(String),
      userAgent: 'login-test/1.0',
    });
  });

  it('answers a wrong password and an unknown address alike, and tells them apart only in LoginFailed', async () => {
    const { email, userId } = await h.registered('enumeration');
    const unknown = h.address('nobody');
    const wrong = await h.login(email, 'not the password');
    const missing = await h.login(unknown, 'not the password');
    expect(wrong.status).toBe(401);
    expect(missing.status).toBe(401);
    const strip = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest;
    const wrongBody = await problem(wrong);
    expect(strip(wrongBody)).toEqual(strip(await problem(missing)));
    expect(wrongBody).toMatchObject({ status: 401, code: 'invalid_credentials' });

    const [badPassword] = await h.waitForEvents('LoginFailed', (data) => data.email === email);
    expect(badPassword!.topic).toBe(h.topic(Topics.identitySecurity));
    expect(badPassword!.event.data).toMatchObject({ email, userId, reason: 'bad_password', consecutiveFailures: 1 });
    const [unknownUser] = await h.waitForEvents('LoginFailed', (data) => data.email === unknown);
    expect(unknownUser!.event.data).toMatchObject({ email: unknown, reason: 'unknown_user', consecutiveFailures: 1 });
    expect(unknownUser!.event.data).not.toHaveProperty('userId');
  });

  it('finds the account whatever the case and spacing of the address', async () => {
    const { email, password } = await h.registered('casing');
    expect((await h.login(`  ${email.toUpperCase()} `, password)).status).toBe(200);
  });
});

describe('per-address lockout', () => {
  const fail = (email: string) => h.login(email, 'wrong password');

  it('locks on the third failure; then even the right password gets 423 account_locked with Retry-After', async () => {
    const { email, password, userId } = await h.registered('lock');
    expect((await fail(email)).status).toBe(401);
    expect((await fail(email)).status).toBe(401);
    // The failure that reaches the limit is still answered as a failure; the lock starts with it.
    expect((await fail(email)).status).toBe(401);

    const locked = await h.login(email, password);
    expect(locked.status).toBe(423);
    expect(locked.headers.get('retry-after')).toBe('60');
    expect(await problem(locked)).toMatchObject({ status: 423, code: 'account_locked', retryAfterSeconds: 60 });

    const lockedUntil = new Date(h.now.getTime() + MINUTE).toISOString();
    const [announced] = await h.waitForEvents('AccountLocked', (data) => data.userId === userId);
    expect(announced!.topic).toBe(h.topic(Topics.identitySecurity));
    expect(announced!.event.data).toEqual({ userId, email, lockedUntil, failedAttempts: 3, ip: expect.any(String) });
    const [mail] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'account-locked');
    expect(mail!.topic).toBe(h.topic(Topics.notificationEmailRequests));
    expect(mail!.event.data).toMatchObject({ template: 'account-locked', to: email, userId, variables: { lockedUntil } });
    const [whileLocked] = await h.waitForEvents('LoginFailed', (data) => data.email === email && data.reason === 'locked');
    expect(whileLocked!.event.data).not.toHaveProperty('consecutiveFailures');
  });

  it('locks an unknown address the same way, without AccountLocked or email', async () => {
    const known = await h.registered('lock-twin');
    const unknown = h.address('lock-ghost');
    for (let i = 0; i < 3; i++) {
      expect((await fail(unknown)).status).toBe(401);
      expect((await fail(known.email)).status).toBe(401);
    }
    const ghost = await h.login(unknown, 'anything at all');
    const twin = await h.login(known.email, 'anything at all');
    expect(ghost.status).toBe(423);
    expect(ghost.headers.get('retry-after')).toBe(twin.headers.get('retry-after'));
    const strip = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest;
    expect(strip(await problem(ghost))).toEqual(strip(await problem(twin)));

    // The known twin's lock is announced, so the unknown address reached the same point of the path.
    await h.waitForEvents('EmailRequested', (data) => data.to === known.email && data.template === 'account-locked');
    await h.waitForEvents('LoginFailed', (data) => data.email === unknown && data.reason === 'locked');
    await h.allPublished();
    expect(h.received('AccountLocked', (data) => data.email === unknown)).toHaveLength(0);
    expect(h.received('EmailRequested', (data) => data.to === unknown)).toHaveLength(0);
  });

  it('lets the right password in once the lock has passed, which resets the count', async () => {
    const { email, password } = await h.registered('unlock');
    for (let i = 0; i < 3; i++) await fail(email);
    expect((await h.login(email, password)).status).toBe(423);
    h.advance(MINUTE - 1_000);
    const almost = await h.login(email, password);
    expect(almost.status).toBe(423);
    expect(almost.headers.get('retry-after')).toBe('1');
    h.advance(1_000);
    expect((await h.login(email, password)).status).toBe(200);

    // Counting starts again from zero: two failures do not lock, the third does.
    expect((await fail(email)).status).toBe(401);
    expect((await fail(email)).status).toBe(401);
    expect((await h.login(email, password)).status).toBe(200);
    expect((await fail(email)).status).toBe(401);
    expect((await fail(email)).status).toBe(401);
    expect((await h.login(email, password)).status).toBe(200);
  });

  it('makes a second lock without a sign-in in between last twice as long', async () => {
    const { email, password } = await h.registered('growing');
    for (let i = 0; i < 3; i++) await fail(email);
    expect((await h.login(email, password)).headers.get('retry-after')).toBe('60');
    h.advance(MINUTE);
    for (let i = 0; i < 3; i++) expect((await fail(email)).status).toBe(401);
    const second = await h.login(email, password);
    expect(second.status).toBe(423);
    expect(second.headers.get('retry-after')).toBe('120');
    h.advance(MINUTE);
    expect((await h.login(email, password)).status).toBe(423);
    h.advance(MINUTE);
    expect((await h.login(email, password)).status).toBe(200);
  });

  it('forgets failures older than the window', async () => {
    const { email, password } = await h.registered('window');
    await fail(email);
    await fail(email);
    h.advance(15 * MINUTE);
    expect((await fail(email)).status).toBe(401);
    expect((await h.login(email, password)).status).toBe(200);
  });
});

describe('per-address lockout under concurrency', () => {
  const many = new AuthHarness('identity-login-race', { LOGIN_MAX_FAILURES: '10' });
  beforeAll(() => many.start());
  afterAll(() => many.stop());

  it('counts every one of 20 concurrent wrong passwords: the address ends up locked, once', async () => {
    const { email, password, userId } = await many.registered('race');
    const answers = await Promise.all(Array.from({ length: 20 }, () => many.login(email, 'wrong password')));
    expect(answers.map((r) => r.status).filter((s) => s !== 401 && s !== 423)).toEqual([]);

    const after = await many.login(email, password);
    expect(after.status).toBe(423);
    expect(after.headers.get('retry-after')).toBe('60');
    // Every answer is in, so everything the race wrote is written: one lock, started by one failure.
    // The client's document (it names its address); the address-wide one counts without locking.
    const throttle = await many.db.collection('login_throttles').findOne({ address: { $exists: true } });
    expect(throttle).toMatchObject({ locks: 1, lockedUntil: new Date(many.now.getTime() + 60_000) });
    expect(await many.db.collection('audit_log').countDocuments({ userId, action: 'account_locked' })).toBe(1);
    expect(await many.db.collection('audit_log').countDocuments({ userId, action: 'login', 'details.reason': 'bad_password' })).toBe(
      answers.filter((r) => r.status === 401).length,
    );
    await many.waitForEvents('AccountLocked', (data) => data.userId === userId);
  });
});
