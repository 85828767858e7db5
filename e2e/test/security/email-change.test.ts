import { Kafka, logLevel } from 'kafkajs';
import { generate } from 'otplib';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';
import { apiClient, expectJson, expectProblem } from '../support/api-client';

// Issue 20: a safe email change, through the gateway and Mailpit. The link to the new address
// finishes it; the old address is told and can undo it for 7 days, which ends every session.
const stack = new TestStack('email-change-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'email-change-e2e-test', logLevel: logLevel.NOTHING });
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);

// Identity's clock, moved by the tests (link expiry, and the next TOTP step).
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(clock().getTime() / 1000) });
const DAY = 86_400_000;

const PASSWORD = 'a long and proper password';
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();

/** The texts of the emails Mailpit holds for `email`, oldest first. */
async function mailTexts(email: string): Promise<string[]> {
  const summaries = await mailpit.search(`to:"${email}"`);
  const texts = await Promise.all(summaries.map(async (summary) => (await mailpit.message(summary.ID)).Text));
  return texts.reverse();
}

/** The token of the newest link to `page` mailed to `email`, waiting for it to arrive. */
function mailedToken(email: string, page: string): Promise<string> {
  const pattern = new RegExp(`/${page}\\?token=([A-Za-z0-9_-]{43})`);
  return waitFor(
    async () => {
      const tokens = (await mailTexts(email)).flatMap((text) => pattern.exec(text)?.[1] ?? []);
      return tokens.at(-1);
    },
    { what: `a ${page} link mailed to ${email}` },
  );
}

async function signUp(label: string): Promise<{ email: string; accessToken: string; refreshToken: string }> {
  const email = address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  const tokens = await expectJson<{ access_token: string; refresh_token: string }>(
    await call('/auth/login', { body: { email, password: PASSWORD } }),
    200,
  );
  return { email, accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
}

const requestChange = (accessToken: string, body: Record<string, unknown>) =>
  call('/auth/request-email-change', { token: accessToken, body });

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.identityUserState),
    stack.topic(Topics.identitySecurity),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  await stack.startIdentity({}, { clock });
  await stack.startNotification();
  // Every test here opens links from the same address: the per-IP limits would be the subject otherwise.
  gatewayUrl = (await stack.startGateway({ RATE_LIMIT_CONFIRM_EMAIL_CHANGE: '100/1h', RATE_LIMIT_UNDO_EMAIL_CHANGE: '100/1h' })).url;
});

afterAll(() => stack.stop());

describe('email change through the gateway and Mailpit', () => {
  it('confirms the new address, tells the old one, and its undo link restores it and ends the sessions', async () => {
    const { email, accessToken, refreshToken } = await signUp('owner');
    const other = await expectJson<{ refresh_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
    const newEmail = address('owner-new');

    await expectJson(await requestChange(accessToken, { newEmail, password: PASSWORD }), 202);
    const confirm = await mailedToken(newEmail, 'confirm-email-change');
    await expectJson(await call('/auth/confirm-email-change', { body: { token: confirm } }), 200);
    expect(await expectJson(await call('/users/me', { token: accessToken }), 200)).toMatchObject({ email: newEmail, emailVerified: true });

    const undo = await mailedToken(email, 'undo-email-change');
    expect((await mailTexts(email)).at(-1)).toContain(newEmail);
    await expectJson(await call('/auth/undo-email-change', { body: { token: undo } }), 200);

    // Every session ended: neither refresh token works, nor the access token.
    await expectProblem(await call('/auth/token/refresh', { body: { refresh_token: refreshToken } }), 401, 'unauthorized');
    await expectProblem(await call('/auth/token/refresh', { body: { refresh_token: other.refresh_token } }), 401, 'unauthorized');
    expect((await call('/users/me', { token: accessToken })).status).toBe(401);
    // The old address is back, the old password is not: a reset link went to the address.
    await expectProblem(await call('/auth/login', { body: { email, password: PASSWORD } }), 401, 'invalid_credentials');
    const reset = await mailedToken(email, 'reset-password');
    await expectJson(await call('/auth/reset-password', { body: { token: reset, newPassword: 'the owner chose this one' } }), 200);
    const back = await expectJson<{ access_token: string }>(
      await call('/auth/login', { body: { email, password: 'the owner chose this one' } }),
      200,
    );
    expect(await expectJson(await call('/users/me', { token: back.access_token }), 200)).toMatchObject({ email });
  });

  it('answers a taken address exactly like a free one, and tells its owner instead', async () => {
    const requester = await signUp('requester');
    const owner = await signUp('taken');
    const free = address('free');

    const toFree = await requestChange(requester.accessToken, { newEmail: free, password: PASSWORD });
    const toTaken = await requestChange(requester.accessToken, { newEmail: owner.email, password: PASSWORD });
    expect(toTaken.status).toBe(toFree.status);
    expect(toTaken.headers.get('content-type')).toBe(toFree.headers.get('content-type'));
    expect(await toTaken.text()).toBe(await toFree.text());

    await mailedToken(free, 'confirm-email-change');
    const notice = await waitFor(async () => (await mailTexts(owner.email)).find((text) => /already yours/.test(text)), {
      what: 'the notice to the owner of the taken address',
    });
    expect(notice).not.toMatch(/confirm-email-change/);
    expect(await expectJson(await call('/users/me', { token: requester.accessToken }), 200)).toMatchObject({ email: requester.email });
  });

  it('refuses a reused link, an expired link, and the other link kind', async () => {
    const { email, accessToken } = await signUp('links');
    await expectJson(await requestChange(accessToken, { newEmail: address('links-new'), password: PASSWORD }), 202);
    const confirm = await mailedToken(address('links-new'), 'confirm-email-change');
    // An undo token is not a confirmation, and the other way round.
    await expectProblem(await call('/auth/undo-email-change', { body: { token: confirm } }), 400, 'token_invalid');
    await expectJson(await call('/auth/confirm-email-change', { body: { token: confirm } }), 200);
    await expectProblem(await call('/auth/confirm-email-change', { body: { token: confirm } }), 400, 'token_used');

    const undo = await mailedToken(email, 'undo-email-change');
    offsetMs += 7 * DAY + 60_000;
    try {
      await expectProblem(await call('/auth/undo-email-change', { body: { token: undo } }), 400, 'token_expired');
    } finally {
      offsetMs = 0;
    }
  });

  it('asks for the password, and the code when two-factor is on', async () => {
    const email = address('guarded');
    const accessToken = await stack.signUpVerified(email, PASSWORD);
    const newEmail = address('guarded-new');
    await expectProblem(await requestChange(accessToken, { newEmail, password: 'not the password' }), 401, 'invalid_credentials');

    const { secret } = await expectJson<{ secret: string }>(
      await call('/auth/2fa/enable', { token: accessToken, body: { password: PASSWORD } }),
      200,
    );
    await expectJson(await call('/auth/2fa/verify', { token: accessToken, body: { password: PASSWORD, code: await codeAt(secret) } }), 200);
    offsetMs += 30_000;
    await expectProblem(await requestChange(accessToken, { newEmail, password: PASSWORD }), 400, 'invalid_code');
    expect(await mailTexts(newEmail)).toEqual([]);
    await expectJson(await requestChange(accessToken, { newEmail, password: PASSWORD, code: await codeAt(secret) }), 202);
    await mailedToken(newEmail, 'confirm-email-change');
  });
});
