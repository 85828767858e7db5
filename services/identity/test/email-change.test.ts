import { generate } from 'otplib';
import { AuthHarness } from './auth-harness';

const h = new AuthHarness('identity-email-change');
const DAY = 86_400_000;

beforeAll(() => h.start());
afterAll(() => h.stop());

const requestChange = (accessToken: string, body: Record<string, unknown>) =>
  h.request('/auth/request-email-change', { token: accessToken, body });
const confirmChange = (token: string) => h.request('/auth/confirm-email-change', { body: { token } });
const undoChange = (token: string) => h.request('/auth/undo-email-change', { body: { token } });

/** The token of the nth link of this template emailed to this address. */
async function linkTokenFor(to: string, template: string, nth = 1): Promise<string> {
  const found = await h.waitForEvents('EmailRequested', (data) => data.to === to && data.template === template, nth);
  return new URL(h.emailVariables(found[nth - 1]!.event).link!).searchParams.get('token')!;
}

async function problem(response: Response): Promise<{ status: number; code: unknown }> {
  const body = (await response.json()) as { code?: unknown };
  return { status: response.status, code: body.code };
}

const storedEmail = async (userId: string) => (await h.db.collection('users').findOne({ _id: userId as never }))?.email as string;

/** An account, signed in, that asked to move to a fresh address; resolves the confirmation token. */
async function changeRequested(label: string) {
  const account = await h.registered(label);
  const tokens = await h.signedIn(account.email, account.password);
  const newEmail = h.address(`${label}-new`);
  expect((await requestChange(tokens.access_token, { newEmail, password: account.password })).status).toBe(202);
  return { ...account, tokens, newEmail, token: await linkTokenFor(newEmail, 'email-change-requested') };
}

/** An account that changed its address; resolves the undo token sent to the old one. */
async function changed(label: string) {
  const requested = await changeRequested(label);
  expect((await confirmChange(requested.token)).status).toBe(200);
  return { ...requested, undoToken: await linkTokenFor(requested.email, 'email-changed') };
}

describe('request-email-change', () => {
  it('answers a free and a taken address alike, and tells the owner of the taken one', async () => {
    const { email, password } = await h.registered('requester');
    const tokens = await h.signedIn(email, password);
    const owner = await h.registered('taken-owner');
    const free = h.address('free-address');

    const toFree = await requestChange(tokens.access_token, { newEmail: free, password });
    const toTaken = await requestChange(tokens.access_token, { newEmail: owner.email, password });
    expect(toTaken.status).toBe(toFree.status);
    expect(toFree.status).toBe(202);
    expect(await toTaken.json()).toEqual(await toFree.json());
    expect(toTaken.headers.get('content-type')).toBe(toFree.headers.get('content-type'));

    await linkTokenFor(free, 'email-change-requested');
    const [notice] = await h.waitForEvents(
      'EmailRequested',
      (data) => data.to === owner.email && data.template === 'email-change-address-taken',
    );
    expect(notice!.event.data).toMatchObject({ userId: owner.userId, variables: {} });
    expect(h.received('EmailRequested', (data) => data.to === owner.email && data.template === 'email-change-requested')).toHaveLength(0);
  });

  it('refuses a wrong password and sends nothing', async () => {
    const { email, password } = await h.registered('wrong-password');
    const tokens = await h.signedIn(email, password);
    const newEmail = h.address('wrong-password-new');
    expect(await problem(await requestChange(tokens.access_token, { newEmail, password: 'not the password' }))).toEqual({
      status: 401,
      code: 'invalid_credentials',
    });
    expect(await problem(await requestChange(tokens.access_token, { newEmail: email, password }))).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(h.received('EmailRequested', (data) => data.to === newEmail)).toHaveLength(0);
  });

  it('requires a current code when two-factor is on, and spends it', async () => {
    const { email, password } = await h.registered('two-factor');
    const tokens = await h.signedIn(email, password);
    const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
    await h.verifyEmail(email);
    const enabled = await h.request('/auth/2fa/enable', { body: { password }, token: tokens.access_token });
    const { secret } = (await enabled.json()) as { secret: string };
    expect(
      (await h.request('/auth/2fa/verify', { body: { password, code: await codeAt(secret) }, token: tokens.access_token })).status,
    ).toBe(200);
    const newEmail = h.address('two-factor-new');

    h.advance(30_000);
    expect(await problem(await requestChange(tokens.access_token, { newEmail, password }))).toEqual({ status: 400, code: 'invalid_code' });
    expect(await problem(await requestChange(tokens.access_token, { newEmail, password, code: '000000' }))).toMatchObject({
      status: 400,
    });
    const code = await codeAt(secret);
    expect((await requestChange(tokens.access_token, { newEmail, password, code })).status).toBe(202);
    expect(await problem(await requestChange(tokens.access_token, { newEmail, password, code }))).toEqual({
      status: 400,
      code: 'invalid_code',
    });
    expect(h.received('EmailRequested', (data) => data.to === newEmail)).toHaveLength(1);
  });
});

describe('confirm-email-change', () => {
  it('moves the account to the new address, announces both, and sends the old one an undo link', async () => {
    const { email, password, userId, newEmail, token } = await changeRequested('confirm');
    const response = await confirmChange(token);
    expect(response.status).toBe(200);
    expect(response.headers.get('referrer-policy')).toBe('no-referrer');

    expect(await storedEmail(userId)).toBe(newEmail);
    const [changedEvent] = await h.waitForEvents('EmailChanged', (data) => data.userId === userId);
    expect(changedEvent!.topic).toBe(h.topic('identity.user.v1'));
    expect(changedEvent!.event.data).toEqual({ userId, previousEmail: email, email: newEmail, via: 'change' });
    const [state] = await h.waitForEvents('UserState', (data) => data.id === userId && data.email === newEmail);
    expect(state!.topic).toBe(h.topic('identity.user-state.v1'));
    expect(state!.event.data).toMatchObject({ emailVerified: true });

    const [notice] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'email-changed');
    const variables = h.emailVariables(notice!.event);
    expect(variables.newEmail).toBe(newEmail);
    expect(variables.expiresAt).toBe(new Date(h.now.getTime() + 7 * DAY).toISOString());
    expect(variables.link).toMatch(/^https:\/\/app\.solar\.test\/undo-email-change\?token=/);

    expect((await h.login(newEmail, password)).status).toBe(200);
    expect((await h.login(email, password)).status).toBe(401);
    const stored = JSON.stringify(await h.db.collection('users').findOne({ _id: userId as never }));
    expect(stored).not.toContain(token);
  });

  it('refuses a reused link', async () => {
    const { token } = await changeRequested('reused');
    expect((await confirmChange(token)).status).toBe(200);
    expect(await problem(await confirmChange(token))).toEqual({ status: 400, code: 'token_used' });
  });

  it('refuses an expired link', async () => {
    const { token, userId, email } = await changeRequested('expired');
    h.advance(DAY + 1);
    expect(await problem(await confirmChange(token))).toEqual({ status: 400, code: 'token_expired' });
    expect(await storedEmail(userId)).toBe(email);
  });

  it('lets a second request replace the first', async () => {
    const first = await changeRequested('replaced');
    const second = h.address('replaced-second');
    expect((await requestChange(first.tokens.access_token, { newEmail: second, password: first.password })).status).toBe(202);
    const secondToken = await linkTokenFor(second, 'email-change-requested');
    expect(await problem(await confirmChange(first.token))).toEqual({ status: 400, code: 'token_invalid' });
    expect((await confirmChange(secondToken)).status).toBe(200);
    expect(await storedEmail(first.userId)).toBe(second);
  });

  it('fails cleanly when the new address was taken meanwhile', async () => {
    const { token, userId, email, newEmail } = await changeRequested('raced');
    expect((await h.register(newEmail, 'another good password')).status).toBe(201);
    expect(await problem(await confirmChange(token))).toEqual({ status: 409, code: 'conflict' });
    expect(await storedEmail(userId)).toBe(email);
    expect(h.received('EmailChanged', (data) => data.userId === userId)).toHaveLength(0);
  });

  it('does not accept a token from another kind of link', async () => {
    const { email, userId } = await h.registered('other-link');
    const verification = await h.verificationTokenFor(email);
    expect(await problem(await confirmChange(verification))).toEqual({ status: 400, code: 'token_invalid' });
    expect(await problem(await undoChange(verification))).toEqual({ status: 400, code: 'token_invalid' });
    expect(await storedEmail(userId)).toBe(email);
  });
});

describe('undo-email-change', () => {
  it('restores the old address, ends every session and asks for a new password', async () => {
    const { email, password, userId, newEmail, tokens, undoToken } = await changed('undo');
    const other = await h.signedIn(newEmail, password);

    const response = await undoChange(undoToken);
    expect(response.status).toBe(200);
    expect(await storedEmail(userId)).toBe(email);
    const [undone] = await h.waitForEvents('EmailChanged', (data) => data.userId === userId && data.via === 'undo');
    expect(undone!.event.data).toEqual({ userId, previousEmail: newEmail, email, via: 'undo' });

    expect((await h.refresh(tokens.refresh_token)).status).toBe(401);
    expect((await h.refresh(other.refresh_token)).status).toBe(401);
    await h.waitForEvents('SessionRevoked', (data) => data.userId === userId && data.reason === 'reset', 2);
    // The password whoever changed the address knew is gone; a reset link went to the restored address.
    expect((await h.login(email, password)).status).toBe(401);
    const resetToken = await linkTokenFor(email, 'password-reset');
    expect((await h.request('/auth/reset-password', { body: { token: resetToken, newPassword: 'the owner is back again' } })).status).toBe(
      200,
    );
    expect((await h.login(email, 'the owner is back again')).status).toBe(200);
    expect(await problem(await undoChange(undoToken))).toEqual({ status: 400, code: 'token_used' });
  });

  it('keeps the old address from being registered while the undo link lives', async () => {
    const { email } = await changed('reserved');
    expect((await h.register(email, 'a squatter password')).status).toBe(201);
    expect(await h.db.collection('users').countDocuments({ email })).toBe(0);
    await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'registration-attempt');
  });

  it('refuses the undo link after 7 days', async () => {
    const { undoToken, userId, newEmail } = await changed('undo-late');
    h.advance(7 * DAY + 1);
    expect(await problem(await undoChange(undoToken))).toEqual({ status: 400, code: 'token_expired' });
    expect(await storedEmail(userId)).toBe(newEmail);
  });
});
