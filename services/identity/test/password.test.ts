import { isEvent } from '@solar/contracts';
import { AuthHarness } from './auth-harness';

const h = new AuthHarness('identity-password');
const HOUR = 3_600_000;
const NEW_PASSWORD = 'a brand new passphrase';

beforeAll(() => h.start());
afterAll(() => h.stop());

const requestReset = (email: string) => h.request('/auth/request-password-reset', { body: { email } });
const resetPassword = (token: string, newPassword = NEW_PASSWORD) => h.request('/auth/reset-password', { body: { token, newPassword } });
const changePassword = (accessToken: string, currentPassword: string, newPassword: string) =>
  h.request('/auth/change-password', { token: accessToken, body: { currentPassword, newPassword } });

/** The token in the newest reset link emailed to this address; waits for the nth such email. */
async function resetTokenFor(email: string, nth = 1): Promise<string> {
  const found = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-reset', nth);
  const event = found[nth - 1]!.event;
  return new URL(h.emailVariables(event).link!).searchParams.get('token')!;
}

const storedHash = async (email: string) => String((await h.db.collection('users').findOne({ email }))?.passwordHash);

async function problem(response: Response): Promise<{ status: number; code: unknown; errors: unknown }> {
  const body = (await response.json()) as { code?: unknown; errors?: unknown };
  return { status: response.status, code: body.code, errors: body.errors };
}

describe('request-password-reset', () => {
  it('answers a known and an unknown address with the same status and body', async () => {
    const { email } = await h.registered('reset-enum');
    const known = await requestReset(email);
    const unknown = await requestReset(h.address('nobody-here'));
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(known.status);
    expect(await unknown.json()).toEqual(await known.json());
    expect(unknown.headers.get('content-type')).toBe(known.headers.get('content-type'));
  });

  it('emails a one-hour link to a known address and publishes the request without the token', async () => {
    const { email, userId } = await h.registered('reset-link');
    await requestReset(email);
    const token = await resetTokenFor(email);
    const [found] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-reset');
    const event = found!.event;
    if (!isEvent(event, 'EmailRequested')) throw new Error('not an email request');
    // On the topic the link is sealed for notification alone: the token is nowhere in the event.
    expect(event.data.variables).toEqual({ expiresAt: new Date(h.now.getTime() + HOUR).toISOString() });
    expect(JSON.stringify(event)).not.toContain(token);
    const variables = h.emailVariables(event);
    expect(variables.link).toBe(`https://app.solar.test/reset-password?token=${token}`);
    expect(variables.expiresAt).toBe(new Date(h.now.getTime() + HOUR).toISOString());

    const [requested] = await h.waitForEvents('PasswordResetRequested', (data) => data.email === email);
    expect(requested!.topic).toBe(h.topic('identity.security.v1'));
    expect(requested!.event.data).toMatchObject({ email, userId });
    expect(JSON.stringify(requested!.event)).not.toContain(token);
  });

  it('records a request for an unknown address without a user id and emails nobody', async () => {
    const email = h.address('unknown-reset');
    await requestReset(email);
    const [requested] = await h.waitForEvents('PasswordResetRequested', (data) => data.email === email);
    expect(requested!.event.data).not.toHaveProperty('userId');
    expect(await h.db.collection('audit_log').findOne({ action: 'password_reset_requested', 'details.email': email })).toMatchObject({
      userId: null,
    });
    expect(h.received('EmailRequested', (data) => data.to === email)).toHaveLength(0);
  });

  it('keeps only the SHA-256 of the token in the database', async () => {
    const { email } = await h.registered('reset-at-rest');
    await requestReset(email);
    const token = await resetTokenFor(email);
    const user = await h.db.collection('users').findOne({ email });
    expect(JSON.stringify(user)).not.toContain(token);
    expect(user?.tokens).toEqual(expect.arrayContaining([expect.objectContaining({ purpose: 'password-reset', usedAt: null })]));
  });

  it('keeps the three newest reset tokens: the oldest is dropped and its link refused', async () => {
    const { email } = await h.registered('reset-pile');
    const tokens: string[] = [];
    for (let nth = 1; nth <= 5; nth++) {
      await requestReset(email);
      tokens.push(await resetTokenFor(email, nth));
    }
    const user = await h.db.collection('users').findOne({ email });
    expect((user?.tokens as { purpose: string }[]).filter((t) => t.purpose === 'password-reset')).toHaveLength(3);
    expect(await problem(await resetPassword(tokens[1]!))).toMatchObject({ status: 400, code: 'token_invalid' });
    expect((await resetPassword(tokens[2]!)).status).toBe(200);
  });
});

describe('reset-password', () => {
  it('sets the new password, ends every session, announces it, and audits it', async () => {
    const { email, password, userId } = await h.registered('reset-happy');
    const before = await h.signedIn(email, password);
    const other = await h.signedIn(email, password);
    await requestReset(email);
    const token = await resetTokenFor(email);

    const response = await resetPassword(token);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: expect.any(String) });

    expect((await h.login(email, password)).status).toBe(401);
    expect((await h.login(email, NEW_PASSWORD)).status).toBe(200);
    expect((await h.refresh(before.refresh_token)).status).toBe(401);
    expect((await h.refresh(other.refresh_token)).status).toBe(401);
    expect((await h.sessions(other.access_token)).status).toBe(401);

    const [changed] = await h.waitForEvents('PasswordChanged', (data) => data.userId === userId);
    expect(changed!.event.data).toEqual({ userId, via: 'reset', sessionsRevoked: true });
    await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-changed');
    expect(await h.db.collection('audit_log').findOne({ userId, action: 'password_reset', outcome: 'success' })).not.toBeNull();
    const user = await h.db.collection('users').findOne({ email });
    expect(user?.passwordChangedAt).toBeInstanceOf(Date);
    expect(JSON.stringify(user)).not.toContain(token);
  });

  it('lifts a sign-in lock built up by failed guesses', async () => {
    const { email } = await h.registered('reset-unlock');
    for (let i = 0; i < 10; i++) await h.login(email, `guess number ${i}`);
    expect((await h.login(email, 'a perfectly good password')).status).toBe(423);
    await requestReset(email);
    expect((await resetPassword(await resetTokenFor(email))).status).toBe(200);
    expect((await h.login(email, NEW_PASSWORD)).status).toBe(200);
  });

  it('lets exactly one of 20 concurrent redemptions of one token through', async () => {
    const { email } = await h.registered('reset-race');
    await requestReset(email);
    const token = await resetTokenFor(email);
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => resetPassword(token, `${NEW_PASSWORD} number ${i}`)));
    expect(responses.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(400)]);
    const refusals = await Promise.all(responses.filter((r) => r.status === 400).map((r) => r.json() as Promise<{ code: string }>));
    expect(new Set(refusals.map((body) => body.code))).toEqual(new Set(['token_used']));
    const user = await h.db.collection('users').findOne({ email });
    expect(user?.tokens.filter((t: { purpose: string; usedAt: Date | null }) => t.purpose === 'password-reset' && t.usedAt)).toHaveLength(
      1,
    );
    const winner = responses.findIndex((r) => r.status === 200);
    expect((await h.login(email, `${NEW_PASSWORD} number ${winner}`)).status).toBe(200);
  });

  it('refuses an expired token and changes nothing', async () => {
    const { email, password } = await h.registered('reset-expired');
    await requestReset(email);
    const token = await resetTokenFor(email);
    const hash = await storedHash(email);
    const issuedAt = h.now;
    h.advance(HOUR + 1);
    try {
      expect(await problem(await resetPassword(token))).toMatchObject({ status: 400, code: 'token_expired' });
    } finally {
      h.now = issuedAt;
    }
    expect(await storedHash(email)).toBe(hash);
    expect((await h.login(email, password)).status).toBe(200);
  });

  it('refuses a token already used, even with another password, and keeps the first', async () => {
    const { email } = await h.registered('reset-used');
    await requestReset(email);
    const token = await resetTokenFor(email);
    expect((await resetPassword(token)).status).toBe(200);
    const hash = await storedHash(email);
    expect(await problem(await resetPassword(token, 'the attacker wants this one'))).toMatchObject({ status: 400, code: 'token_used' });
    expect(await storedHash(email)).toBe(hash);
  });

  it.each([
    ['a made-up token of the right shape', 'A'.repeat(43), 'token_invalid'],
    ['a token of the wrong shape', 'not-a-token', 'token_malformed'],
  ])('refuses %s with its own code and changes nothing', async (_label, token, code) => {
    const { email } = await h.registered(`reset-${code}`);
    const hash = await storedHash(email);
    expect(await problem(await resetPassword(token))).toMatchObject({ status: 400, code });
    expect(await storedHash(email)).toBe(hash);
  });

  it('refuses a verification token presented as a reset token', async () => {
    const { email } = await h.registered('reset-wrong-purpose');
    const token = await h.verificationTokenFor(email);
    expect(await problem(await resetPassword(token))).toMatchObject({ status: 400, code: 'token_invalid' });
  });

  it('applies the policy, including not-the-email, and leaves the token usable', async () => {
    const { email } = await h.registered('reset-policy');
    await requestReset(email);
    const token = await resetTokenFor(email);
    const hash = await storedHash(email);
    for (const weak of ['password1', email.toUpperCase(), 'short']) {
      const refused = await problem(await resetPassword(token, weak));
      expect(refused).toMatchObject({
        status: 400,
        code: 'validation_failed',
        errors: [{ path: 'newPassword', message: expect.any(String) }],
      });
      expect(JSON.stringify(refused)).not.toContain(weak);
    }
    expect(await storedHash(email)).toBe(hash);
    expect((await resetPassword(token)).status).toBe(200);
  });
});

describe('password policy on register', () => {
  it.each([
    ['a common password', () => 'Password123', /commonly used/],
    ['the email address', (email: string) => email, /email/],
    ['the local part of the address', (email: string) => email.split('@')[0]!, /email/],
    ['7 characters', () => 'x7#kq2!', /at least 8/],
    ['129 characters', () => 'x'.repeat(129), /at most 128/],
  ])('refuses %s with a field error and stores nothing', async (label, passwordFor, message) => {
    const email = h.address(`policy-${label.replace(/\W+/g, '-')}`);
    const password = passwordFor(email);
    const response = await h.register(email, password);
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ code: 'validation_failed', errors: [{ path: 'password', message: expect.stringMatching(message) }] });
    expect(JSON.stringify(body)).not.toContain(password);
    expect(await h.db.collection('users').countDocuments({ email })).toBe(0);
  });
});

describe('change-password', () => {
  it('refuses a wrong current password with 401, audits the failure, and changes nothing', async () => {
    const { email, userId } = await h.registered('change-wrong');
    const tokens = await h.signedIn(email, 'a perfectly good password');
    const hash = await storedHash(email);
    const response = await changePassword(tokens.access_token, 'not my password', NEW_PASSWORD);
    expect(await problem(response)).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(await storedHash(email)).toBe(hash);
    expect(await h.db.collection('audit_log').findOne({ userId, action: 'password_changed', outcome: 'failure' })).not.toBeNull();
  });

  it('counts wrong current passwords like failed sign-ins, so a stolen access token cannot guess on', async () => {
    const { email, password } = await h.registered('change-guessing');
    const tokens = await h.signedIn(email, password);
    for (let guess = 0; guess < 10; guess++) {
      expect((await changePassword(tokens.access_token, `wrong guess ${guess}`, NEW_PASSWORD)).status).toBe(401);
    }
    const locked = await changePassword(tokens.access_token, password, NEW_PASSWORD);
    expect(await problem(locked)).toMatchObject({ status: 423, code: 'account_locked' });
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    expect((await h.login(email, password)).status).toBe(423);
  });

  it('answers a new password the policy refuses with 400, even while the account is locked, and counts no guess', async () => {
    const { email, password } = await h.registered('change-locked-policy');
    const tokens = await h.signedIn(email, password);
    expect(await problem(await changePassword(tokens.access_token, 'wrong guess', 'short'))).toMatchObject({
      status: 400,
      code: 'validation_failed',
      errors: [{ path: 'newPassword', message: expect.any(String) }],
    });
    for (let guess = 0; guess < 10; guess++) {
      expect((await changePassword(tokens.access_token, `wrong guess ${guess}`, NEW_PASSWORD)).status).toBe(401);
    }
    expect((await changePassword(tokens.access_token, password, NEW_PASSWORD)).status).toBe(423);
    expect(await problem(await changePassword(tokens.access_token, password, 'short'))).toMatchObject({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('needs a signed-in caller', async () => {
    const response = await h.request('/auth/change-password', { body: { currentPassword: 'x', newPassword: NEW_PASSWORD } });
    expect(await problem(response)).toMatchObject({ status: 401, code: 'unauthorized' });
  });

  it('applies the policy to the new password and refuses the current one again', async () => {
    const { email, password } = await h.registered('change-policy');
    const tokens = await h.signedIn(email, password);
    for (const weak of ['qwerty123', email, password]) {
      expect(await problem(await changePassword(tokens.access_token, password, weak))).toMatchObject({
        status: 400,
        code: 'validation_failed',
        errors: [{ path: 'newPassword', message: expect.any(String) }],
      });
    }
    expect((await h.login(email, password)).status).toBe(200);
  });

  it('changes the password, ends the other sessions but not the caller’s, and publishes PasswordChanged', async () => {
    const { email, password, userId } = await h.registered('change-happy');
    const caller = await h.signedIn(email, password);
    const other = await h.signedIn(email, password);
    const response = await changePassword(caller.access_token, password, NEW_PASSWORD);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: expect.any(String) });

    expect((await h.sessions(caller.access_token)).status).toBe(200);
    expect((await h.refresh(caller.refresh_token)).status).toBe(200);
    expect((await h.sessions(other.access_token)).status).toBe(401);
    expect((await h.refresh(other.refresh_token)).status).toBe(401);
    expect((await h.login(email, password)).status).toBe(401);
    expect((await h.login(email, NEW_PASSWORD)).status).toBe(200);

    const [changed] = await h.waitForEvents('PasswordChanged', (data) => data.userId === userId);
    expect(changed!.topic).toBe(h.topic('identity.user.v1'));
    expect(changed!.event.data).toEqual({ userId, via: 'change', sessionsRevoked: true });
    await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'password-changed');
    expect(await h.db.collection('audit_log').findOne({ userId, action: 'password_changed', outcome: 'success' })).not.toBeNull();
  });
});
