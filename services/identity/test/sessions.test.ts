import { Topics } from '@solar/contracts';
import { AuthHarness, claimsOf, type Tokens } from './auth-harness';

const h = new AuthHarness('identity-sessions');
const DAY = 86_400_000;

beforeAll(() => h.start());
afterAll(() => h.stop());

const json = async <T = Record<string, unknown>>(response: Response) => (await response.json()) as T;
const sidOf = (tokens: Tokens) => String(claimsOf(tokens.access_token).sid);

async function signedInUser(label: string, headers: Record<string, string> = {}) {
  const user = await h.registered(label);
  return { ...user, tokens: await h.signedIn(user.email, user.password, headers) };
}

describe('refresh', () => {
  it('rotates a JSON refresh: a new pair for the same session, and the old refresh token is spent', async () => {
    const { tokens } = await signedInUser('rotate');
    const response = await h.refresh(tokens.refresh_token);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const next = await json<Tokens>(response);
    expect(next).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, refresh_token: expect.any(String) });
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(sidOf(next)).toBe(sidOf(tokens));
    expect((await h.sessions(next.access_token)).status).toBe(200);
  });

  it('accepts the OAuth2 refresh_token grant as a form', async () => {
    const { tokens } = await signedInUser('form');
    const response = await h.request('/auth/token/refresh', { form: { grant_type: 'refresh_token', refresh_token: tokens.refresh_token } });
    expect(response.status).toBe(200);
    expect(sidOf(await json<Tokens>(response))).toBe(sidOf(tokens));
  });

  it('revokes the whole family when a rotated token comes back, and publishes RefreshTokenReused', async () => {
    const { tokens, userId } = await signedInUser('reuse');
    const second = await json<Tokens>(await h.refresh(tokens.refresh_token));
    const third = await json<Tokens>(await h.refresh(second.refresh_token));
    expect((await h.sessions(third.access_token)).status).toBe(200);

    const replay = await h.refresh(tokens.refresh_token);
    expect(replay.status).toBe(401);
    expect(await json(replay)).toMatchObject({ code: 'unauthorized' });

    // The thief's and the owner's newest tokens both stop working.
    expect((await h.refresh(third.refresh_token)).status).toBe(401);
    for (const access of [tokens.access_token, second.access_token, third.access_token]) {
      const denied = await h.sessions(access);
      expect(denied.status).toBe(401);
      expect(denied.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const [reused] = await h.waitForEvents('RefreshTokenReused', (data) => data.userId === userId);
    expect(reused!.topic).toBe(h.topic(Topics.identitySecurity));
    expect(reused!.event.data).toEqual({ userId, sessionId: sidOf(tokens), ip: expect.any(String), userAgent: expect.any(String) });
    const session = await h.db.collection('sessions').findOne({ _id: sidOf(tokens) as never });
    expect(session).toMatchObject({ revokedReason: 'refresh_token_reused', revokedAt: h.now });
  });

  it('keeps the last 10 rotated token hashes, and still detects reuse of a recent one', async () => {
    const { tokens } = await signedInUser('bounded');
    const seen = [tokens];
    for (let i = 0; i < 12; i++) seen.push(await json<Tokens>(await h.refresh(seen.at(-1)!.refresh_token)));
    const session = await h.db.collection('sessions').findOne({ _id: sidOf(tokens) as never });
    expect(session?.previousTokenHashes).toHaveLength(10);
    // The token before the one just spent: outside the reuse grace whatever the clock says.
    expect((await h.refresh(seen.at(-3)!.refresh_token)).status).toBe(401);
    expect((await h.refresh(seen.at(-1)!.refresh_token)).status).toBe(401);
  });

  it('lets exactly one of 10 concurrent refreshes with one token succeed, and keeps the winner signed in', async () => {
    const { tokens, userId } = await signedInUser('race');
    const answers = await Promise.all(Array.from({ length: 10 }, () => h.refresh(tokens.refresh_token)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(409)]);
    for (const loser of answers.filter((r) => r.status === 409)) expect(await json(loser)).toMatchObject({ code: 'conflict' });
    const winner = await json<Tokens>(answers.find((r) => r.status === 200)!);

    // The losers are the same client racing itself: the session and the winner's new pair live on.
    const session = await h.db.collection('sessions').findOne({ _id: sidOf(tokens) as never });
    expect(session).toMatchObject({ revokedAt: null, revokedReason: null, previousTokenHashes: [expect.any(String)] });
    expect(h.received('RefreshTokenReused', (data) => data.userId === userId)).toHaveLength(0);
    expect((await h.sessions(winner.access_token)).status).toBe(200);
    expect((await h.refresh(winner.refresh_token)).status).toBe(200);
  });

  describe('the token a rotation just spent', () => {
    const GRACE = 5_000; // REFRESH_REUSE_GRACE's default, which the harness keeps
    let rotatedAt: Date;
    beforeEach(() => (rotatedAt = h.now));
    afterEach(() => (h.now = rotatedAt));

    it('within REFRESH_REUSE_GRACE is answered 409 and revokes nothing', async () => {
      const { tokens } = await signedInUser('grace');
      const next = await json<Tokens>(await h.refresh(tokens.refresh_token));
      h.advance(GRACE - 1);
      const again = await h.refresh(tokens.refresh_token);
      expect(again.status).toBe(409);
      expect(await json(again)).toMatchObject({ code: 'conflict' });
      const session = await h.db.collection('sessions').findOne({ _id: sidOf(tokens) as never });
      expect(session).toMatchObject({ revokedAt: null, revokedReason: null });
      expect((await h.sessions(next.access_token)).status).toBe(200);
      expect((await h.refresh(next.refresh_token)).status).toBe(200);
    });

    it('after REFRESH_REUSE_GRACE revokes the session and publishes RefreshTokenReused', async () => {
      const { tokens, userId } = await signedInUser('grace-over');
      const next = await json<Tokens>(await h.refresh(tokens.refresh_token));
      h.advance(GRACE);
      const replay = await h.refresh(tokens.refresh_token);
      expect(replay.status).toBe(401);
      expect(await json(replay)).toMatchObject({ code: 'unauthorized' });
      const session = await h.db.collection('sessions').findOne({ _id: sidOf(tokens) as never });
      expect(session).toMatchObject({ revokedReason: 'refresh_token_reused', revokedAt: h.now });
      const [reused] = await h.waitForEvents('RefreshTokenReused', (data) => data.userId === userId);
      expect(reused!.event.data).toMatchObject({ userId, sessionId: sidOf(tokens) });
      expect((await h.sessions(next.access_token)).status).toBe(401);
      expect((await h.refresh(next.refresh_token)).status).toBe(401);
    });
  });

  it('refuses a refresh token past SESSION_IDLE_TIMEOUT without revoking anything else', async () => {
    const { tokens } = await signedInUser('expired');
    const other = await signedInUser('expired-other');
    const issuedAt = h.now;
    h.advance(30 * DAY);
    try {
      const response = await h.refresh(tokens.refresh_token);
      expect(response.status).toBe(401);
      expect(await json(response)).toMatchObject({ code: 'unauthorized' });
    } finally {
      h.now = issuedAt;
    }
    expect((await h.refresh(other.tokens.refresh_token)).status).toBe(200);
  });

  it('refuses a made-up refresh token of the right shape and one of the wrong shape', async () => {
    expect((await h.refresh('A'.repeat(43))).status).toBe(401);
    expect((await h.refresh('not-a-token')).status).toBe(401);
  });

  it('refuses the stored hash presented as a refresh token', async () => {
    const { tokens } = await signedInUser('hash');
    const session = await h.db.collection('sessions').findOne({ _id: sidOf(tokens) as never });
    expect((await h.refresh(String(session!.tokenHash))).status).toBe(401);
  });
});

describe('sessions', () => {
  it('lists live sessions with the current one flagged, user agent and IP', async () => {
    const { email, password, tokens: phone } = await signedInUser('list', { 'user-agent': 'Phone/1.0' });
    const laptop = await h.signedIn(email, password, { 'user-agent': 'Laptop/2.0' });
    const response = await h.sessions(laptop.access_token);
    expect(response.status).toBe(200);
    const { sessions } = await json<{ sessions: Record<string, unknown>[] }>(response);
    const at = h.now.toISOString();
    // SESSION_IDLE_TIMEOUT from sign-in: the absolute SESSION_MAX_AGE (30 days) is further off.
    const expiresAt = new Date(h.now.getTime() + 14 * DAY).toISOString();
    const ip = expect.stringMatching(/127\.0\.0\.1$/);
    expect(sessions).toHaveLength(2);
    expect(sessions).toEqual(
      expect.arrayContaining([
        { id: sidOf(laptop), userAgent: 'Laptop/2.0', ip, createdAt: at, lastUsedAt: at, expiresAt, current: true },
        { id: sidOf(phone), userAgent: 'Phone/1.0', ip, createdAt: at, lastUsedAt: at, expiresAt, current: false },
      ]),
    );
  });

  it('revokes one session by id: 204, and its access token is refused at once', async () => {
    const { email, password, tokens: first } = await signedInUser('revoke');
    const second = await h.signedIn(email, password);
    const response = await h.request(`/users/me/sessions/${sidOf(first)}`, { method: 'DELETE', token: second.access_token });
    expect(response.status).toBe(204);
    expect((await h.sessions(first.access_token)).status).toBe(401);
    expect((await h.refresh(first.refresh_token)).status).toBe(401);
    const { sessions } = await json<{ sessions: { id: string }[] }>(await h.sessions(second.access_token));
    expect(sessions.map((s) => s.id)).toEqual([sidOf(second)]);
  });

  it("answers 404 for another user's session id and leaves that session alive", async () => {
    const victim = await signedInUser('victim');
    const attacker = await signedInUser('attacker');
    const response = await h.request(`/users/me/sessions/${sidOf(victim.tokens)}`, {
      method: 'DELETE',
      token: attacker.tokens.access_token,
    });
    expect(response.status).toBe(404);
    expect(await json(response)).toMatchObject({ code: 'not_found' });
    expect((await h.sessions(victim.tokens.access_token)).status).toBe(200);
    const unknown = await h.request('/users/me/sessions/00000000-0000-4000-8000-000000000000', {
      method: 'DELETE',
      token: attacker.tokens.access_token,
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses a session id that is not a UUID with 400', async () => {
    const { tokens } = await signedInUser('bad-id');
    const response = await h.request('/users/me/sessions/%7B%22%24ne%22%3Anull%7D', { method: 'DELETE', token: tokens.access_token });
    expect(response.status).toBe(400);
    expect((await h.sessions(tokens.access_token)).status).toBe(200);
  });

  it('logs out the current session only', async () => {
    const { email, password, tokens: here } = await signedInUser('logout');
    const elsewhere = await h.signedIn(email, password);
    const response = await h.logout(here.access_token);
    expect(response.status).toBe(204);
    expect((await h.sessions(here.access_token)).status).toBe(401);
    expect((await h.refresh(here.refresh_token)).status).toBe(401);
    expect((await h.sessions(elsewhere.access_token)).status).toBe(200);
    expect((await h.refresh(elsewhere.refresh_token)).status).toBe(200);
  });

  it('logs out every session of the user with {"all": true}, and no one else', async () => {
    const { email, password, tokens: one } = await signedInUser('logout-all');
    const two = await h.signedIn(email, password);
    const bystander = await signedInUser('bystander');
    expect((await h.logout(one.access_token, { all: true })).status).toBe(204);
    for (const tokens of [one, two]) {
      expect((await h.sessions(tokens.access_token)).status).toBe(401);
      expect((await h.refresh(tokens.refresh_token)).status).toBe(401);
    }
    expect((await h.sessions(bystander.tokens.access_token)).status).toBe(200);
  });

  it('needs a live access token to log out', async () => {
    const { tokens } = await signedInUser('logout-twice');
    expect((await h.logout(tokens.access_token)).status).toBe(204);
    expect((await h.logout(tokens.access_token)).status).toBe(401);
    expect((await h.request('/auth/logout', { method: 'POST' })).status).toBe(401);
  });
});
