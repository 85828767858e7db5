import { createHash } from 'node:crypto';
import { generate } from 'otplib';
import { PwnedRangeServer, capturingLogger, waitFor } from '@solar/chassis/testing';
import { AuthHarness } from './auth-harness';

const range = new PwnedRangeServer();
const logs: string[] = [];
const h = new AuthHarness('identity-breached', {}, capturingLogger('identity', logs));
const DAY = 86_400_000;

const BREACHED = 'correct horse battery staple';
/** In the corpus only as a padding entry (count 0): a clean password. */
const PADDED = 'a padded but clean passphrase';
const GOOD = 'a perfectly good password';
const sha1 = (password: string) => createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();

let rangeUrl: string;
beforeAll(async () => {
  range.add(BREACHED, 3_861_493);
  range.add(PADDED, 0);
  rangeUrl = await range.start();
  await h.start();
  await useRange({ PWNED_PASSWORDS_URL: rangeUrl });
});
afterAll(async () => {
  await h.stop();
  await range.stop();
});
beforeEach(() => {
  range.mode = 'answer';
});

/** Restarts identity with these Pwned Passwords variables (the rest as configured). */
async function useRange(env: Record<string, string>): Promise<void> {
  await h.stopService();
  await h.startService({ PWNED_PASSWORDS_TIMEOUT: '2s', ...env });
}

async function problem(response: Response) {
  const body = (await response.json()) as { code?: unknown; errors?: unknown };
  return { status: response.status, code: body.code, errors: body.errors };
}

const breachedProblem = (field: string) => ({
  status: 400,
  code: 'password_breached',
  errors: [{ path: field, message: expect.stringContaining('appeared in a data breach') }],
});

async function lookups(outcome: string): Promise<number> {
  const text = await (await fetch(h.metricsUrl)).text();
  const line = new RegExp(`^solar_identity_pwned_password_lookups_total\\{[^}]*outcome="${outcome}"[^}]*\\} (\\d+)$`, 'm').exec(text);
  return Number(line?.[1] ?? 0);
}

const profileOf = async (accessToken: string) =>
  (await (await h.request('/users/me', { token: accessToken })).json()) as { passwordBreached: boolean };

describe('new passwords against the Pwned Passwords range API', () => {
  it('sends only the first five hex characters of the SHA-1, with padding asked for', async () => {
    const before = range.received.length;
    expect((await h.register(h.address('prefix'), BREACHED)).status).toBe(400);
    const sent = range.received.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`/range/${sha1(BREACHED).slice(0, 5)}`);
    expect(sent[0]!.headers['add-padding']).toBe('true');
    // Neither the password, nor its full hash, nor any of the rest of it went out, in the URL or a header.
    const wire = JSON.stringify(sent);
    expect(wire).not.toContain(BREACHED);
    expect(wire.toUpperCase()).not.toContain(sha1(BREACHED).slice(5, 15));
  });

  it('refuses a breached password at sign-up with its own code and a field error, and creates nothing', async () => {
    const email = h.address('signup');
    expect(await problem(await h.register(email, BREACHED))).toEqual(breachedProblem('password'));
    expect(await h.db.collection('users').findOne({ email })).toBeNull();
  });

  it('takes a password the range holds only as padding (count 0)', async () => {
    expect((await h.register(h.address('padded'), PADDED)).status).toBe(201);
  });

  it('refuses a breached new password at change and at reset, and the reset link still works after', async () => {
    const { email, password } = await h.registered('change');
    const { access_token } = await h.signedIn(email, password);
    const change = await h.request('/auth/change-password', {
      token: access_token,
      body: { currentPassword: password, newPassword: BREACHED },
    });
    expect(await problem(change)).toEqual(breachedProblem('newPassword'));

    await h.request('/auth/request-password-reset', { body: { email } });
    const [mail] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-reset');
    const token = new URL(h.emailVariables(mail!.event).link!).searchParams.get('token')!;
    const reset = await h.request('/auth/reset-password', { body: { token, newPassword: BREACHED } });
    expect(await problem(reset)).toEqual(breachedProblem('newPassword'));
    expect((await h.request('/auth/reset-password', { body: { token, newPassword: 'another good passphrase' } })).status).toBe(200);
  });
});

describe('when the service cannot answer', () => {
  afterAll(() => useRange({ PWNED_PASSWORDS_URL: rangeUrl }));

  it('never blocks a sign-up when it is down, logs and counts it, and the bundled list still refuses', async () => {
    // A port nothing listens on: the range server's own, once closed, is not free to take for sure.
    await useRange({ PWNED_PASSWORDS_URL: 'http://127.0.0.1:9' });
    logs.length = 0;
    expect((await h.register(h.address('down'), BREACHED)).status).toBe(201);
    expect(await lookups('unreachable')).toBe(1);
    const warning = logs.find((line) => line.includes('pwned passwords unavailable'));
    expect(warning).toBeDefined();
    expect(warning!.toUpperCase()).not.toContain(sha1(BREACHED).slice(0, 5));
    expect(warning).not.toContain(BREACHED);

    expect(await problem(await h.register(h.address('down-common'), 'password123'))).toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('goes on once the timeout passes when the service never answers', async () => {
    await useRange({ PWNED_PASSWORDS_URL: rangeUrl, PWNED_PASSWORDS_TIMEOUT: '200ms' });
    range.mode = 'hang';
    const before = range.received.length;
    // Completing at all is the point: the server never answers, so only the timeout ends the wait.
    expect((await h.register(h.address('slow'), BREACHED)).status).toBe(201);
    expect(range.received.length).toBe(before + 1);
    expect(await lookups('timeout')).toBe(1);
  });

  it('treats an error answer as unreachable, not as clean or breached', async () => {
    await useRange({ PWNED_PASSWORDS_URL: rangeUrl });
    range.mode = 'fail';
    expect((await h.register(h.address('failing'), BREACHED)).status).toBe(201);
    expect(await lookups('unreachable')).toBe(1);
  });
});

describe('signing in with a breached password', () => {
  it('signs in, flags the account, emails at most once per period, and a change clears the flag', async () => {
    range.mode = 'fail';
    const { email, userId } = await h.registered('signin', BREACHED);
    range.mode = 'answer';
    const notices = () => h.received('EmailRequested', (data) => data.to === email && data.template === 'password-breached');

    const first = await h.signedIn(email, BREACHED);
    expect(first).toMatchObject({ password_breached: true });
    expect(await profileOf(first.access_token)).toMatchObject({ passwordBreached: true });
    const [notice] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-breached');
    expect(notice!.event.data).toMatchObject({ userId, locale: 'en', variables: {} });
    expect(await h.db.collection('audit_log').countDocuments({ userId, action: 'password_breach_detected' })).toBe(1);

    // Again within the period: still flagged, no second email.
    await h.signedIn(email, BREACHED);
    h.advance(6 * DAY);
    await h.signedIn(email, BREACHED);
    // The next email would be in the outbox of the same document: once the account's outbox is empty, none is coming.
    await waitForEmptyOutbox(userId);
    expect(notices()).toHaveLength(1);

    h.advance(2 * DAY);
    const later = await h.signedIn(email, BREACHED);
    await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-breached', 2);

    const change = await h.request('/auth/change-password', {
      token: later.access_token,
      body: { currentPassword: BREACHED, newPassword: GOOD },
    });
    expect(change.status).toBe(200);
    expect(await profileOf(later.access_token)).toMatchObject({ passwordBreached: false });
  });

  it('tells an app on the second step of a two-factor sign-in', async () => {
    range.mode = 'fail';
    const { email } = await h.registered('two-factor', BREACHED);
    range.mode = 'answer';
    await h.verifyEmail(email);
    const { access_token } = await h.signedIn(email, BREACHED);
    const enabled = await h.request('/auth/2fa/enable', { body: { password: BREACHED }, token: access_token });
    const { secret } = (await enabled.json()) as { secret: string };
    const codeAt = () => generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
    expect((await h.request('/auth/2fa/verify', { body: { password: BREACHED, code: await codeAt() }, token: access_token })).status).toBe(
      200,
    );

    h.advance(60_000);
    const { mfa_token } = (await (await h.login(email, BREACHED)).json()) as { mfa_token: string };
    const second = await h.request('/auth/login/2fa', { body: { mfaToken: mfa_token, code: await codeAt() } });
    expect(second.status).toBe(200);
    expect(await second.json()).toMatchObject({ password_breached: true });
  });

  it('does not flag a clean password, and a reset clears a flag', async () => {
    const { email, password, userId } = await h.registered('signin-clean');
    const clean = await h.signedIn(email, password);
    expect(clean).not.toHaveProperty('password_breached');
    expect(await profileOf(clean.access_token)).toMatchObject({ passwordBreached: false });

    await h.db.collection('users').updateOne({ _id: userId as never }, { $set: { passwordBreachedAt: h.now } });
    await h.request('/auth/request-password-reset', { body: { email } });
    const [mail] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-reset');
    const token = new URL(h.emailVariables(mail!.event).link!).searchParams.get('token')!;
    expect((await h.request('/auth/reset-password', { body: { token, newPassword: 'another good passphrase' } })).status).toBe(200);
    const again = await h.signedIn(email, 'another good passphrase');
    expect(await profileOf(again.access_token)).toMatchObject({ passwordBreached: false });
  });
});

async function waitForEmptyOutbox(userId: string): Promise<void> {
  await waitFor(
    async () => {
      const doc = await h.db.collection('users').findOne({ _id: userId as never }, { projection: { outbox: 1 } });
      return ((doc?.outbox as unknown[] | undefined) ?? []).length === 0 ? true : undefined;
    },
    { what: "the account's outbox published" },
  );
}
