/**
 * Security review, finding 2, last part: an owner who lost both the authenticator and the recovery
 * codes had no way back. Now a reset is asked for at the second step of signing in (the password
 * proven by the mfa_token), confirmed from the mailbox, and takes effect only after
 * TWO_FACTOR_RESET_DELAY, at the first sign-in with the password; any signed-in session can cancel it
 * meanwhile, and a password change voids it. The flow and the attacks on it, through the gateway
 * against the real services, the emails read from Mailpit.
 */
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { generate } from 'otplib';
import { Topics, registry } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, Mailpit, mongoUrlFor, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';
import { apiClient, expectJson, expectProblem } from '../support/api-client';

/** Short, so the tests wait for it for real; its own tests cover the 24 h default. */
const DELAY_MS = 4_000;
const stack = new TestStack('two-factor-reset');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const topics = [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests].map((t) => stack.topic(t));
const collector = new KafkaCollector(stack.infra.kafkaBrokers, topics);
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let db: Connection;

// Identity's clock: a TOTP step is spent by each use, so the next code needs the next step. Moved
// only before a reset is confirmed, so the delay itself is waited out in real time.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const nextStep = () => {
  offsetMs += 30_000;
};
const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(clock().getTime() / 1000) });

const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const PASSWORD = 'a long and proper password';

interface Tokens {
  access_token: string;
}
interface Reset {
  reset: { confirmedAt: string; effectiveAt: string };
}

/** A verified account with two-factor on, set up through the API. */
async function withTwoFactor(label: string): Promise<{ email: string; secret: string }> {
  const email = address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  await expectJson(await call('/auth/verify-email', { body: { token: await stack.emailedToken(collector, email, 'verify-email') } }), 200);
  const { access_token } = await expectJson<Tokens>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
  const { secret } = await expectJson<{ secret: string }>(
    await call('/auth/2fa/enable', { token: access_token, body: { password: PASSWORD } }),
    200,
  );
  await expectJson(await call('/auth/2fa/verify', { token: access_token, body: { password: PASSWORD, code: await codeAt(secret) } }), 200);
  nextStep();
  return { email, secret };
}

async function mfaTokenFor(email: string, password = PASSWORD): Promise<string> {
  const body = await expectJson<{ mfa_required?: true; mfa_token?: string }>(await call('/auth/login', { body: { email, password } }), 200);
  expect(body).toEqual({ mfa_required: true, mfa_token: expect.any(String) });
  return body.mfa_token!;
}

/** The owner, on a device that still has the authenticator: a full session. */
async function signInWithCode(email: string, secret: string): Promise<string> {
  const mfaToken = await mfaTokenFor(email);
  const { access_token } = await expectJson<Tokens>(await call('/auth/login/2fa', { body: { mfaToken, code: await codeAt(secret) } }), 200);
  nextStep();
  return access_token;
}

/** Mail to this address whose subject matches, the newest first, once Mailpit has `count` of them. */
function mailsTo(email: string, subject: RegExp, count = 1) {
  return waitFor(
    async () => {
      const found = (await mailpit.search(`to:"${email}"`)).filter((mail) => subject.test(mail.Subject));
      return found.length >= count ? found : undefined;
    },
    { timeoutMs: 30_000, what: `${count} email(s) to ${email} matching ${subject}` },
  );
}

/** Asks for a reset with a fresh mfa_token and reads the token off the newest emailed link. */
async function requestResetLink(email: string, nth = 1): Promise<string> {
  await expectJson(await call('/auth/login/2fa/reset', { body: { mfaToken: await mfaTokenFor(email) } }), 202);
  const [newest] = await mailsTo(email, /^Confirm the two-factor reset/, nth);
  const { Text } = await mailpit.message(newest!.ID);
  const link = /https:\/\/app\.solar\.test\/two-factor-reset\?token=[A-Za-z0-9_-]+/.exec(Text)?.[0];
  expect(link).toBeDefined();
  return new URL(link!).searchParams.get('token')!;
}

const confirm = (token: string) => call('/auth/2fa/reset/confirm', { body: { token } });
const status = async (accessToken: string) =>
  expectJson<{ enabled: boolean; reset: Reset['reset'] | null }>(await call('/auth/2fa', { token: accessToken }), 200);

/** Until identity's clock reaches the instant (a real wait: the clock is not moved once a reset is pending). */
const waitUntilIdentityTime = (at: string) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, Date.parse(at) - clock().getTime() + 50)));

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  await stack.startIdentity({ TWO_FACTOR_RESET_DELAY: `${DELAY_MS / 1000}s` }, { clock });
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
  db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
});

afterAll(async () => {
  await collector.stop();
  await stack.stop();
  await db?.close();
});

describe('two-factor reset', () => {
  it('gives the owner with the password and the mailbox, but no factor, a way back after the delay', async () => {
    const { email } = await withTwoFactor('lost-phone');
    const mfaToken = await mfaTokenFor(email);
    await expectJson(await call('/auth/login/2fa/reset', { body: { mfaToken } }), 202);
    // The mfa_token was spent on the request: one link per correct password, and no code with it afterwards.
    await expectProblem(await call('/auth/login/2fa/reset', { body: { mfaToken } }), 400, 'token_used');
    await expectProblem(await call('/auth/login/2fa', { body: { mfaToken, code: '123456' } }), 400, 'token_used');

    const [requested] = await mailsTo(email, /^Confirm the two-factor reset/);
    const link = /https:\/\/app\.solar\.test\/two-factor-reset\?token=[A-Za-z0-9_-]+/.exec((await mailpit.message(requested!.ID)).Text)![0];
    const confirmed = await confirm(new URL(link).searchParams.get('token')!);
    expect(confirmed.headers.get('referrer-policy')).toBe('no-referrer');
    const { reset } = await expectJson<Reset>(confirmed, 202);
    expect(Date.parse(reset.effectiveAt) - Date.parse(reset.confirmedAt)).toBe(DELAY_MS);
    await mailsTo(email, /^Two-factor authentication for your .* will be turned off on/);

    // Before the delay, the password alone is still not enough.
    await mfaTokenFor(email);
    // Polled: each sign-in before the due time still asks for the factor, the first after it does not.
    const signedIn = await waitFor(
      async () => {
        const body = await expectJson<{ access_token?: string; mfa_required?: true }>(
          await call('/auth/login', { body: { email, password: PASSWORD } }),
          200,
        );
        if (body.access_token) return { body, at: clock().getTime() };
        return undefined;
      },
      { timeoutMs: DELAY_MS + 10_000, intervalMs: 250, what: 'a sign-in with the password alone' },
    );
    expect(signedIn.at).toBeGreaterThanOrEqual(Date.parse(reset.effectiveAt));
    expect(await status(signedIn.body.access_token!)).toMatchObject({ enabled: false, reset: null });
    await mailsTo(email, /^Two-factor authentication is off/);
    const userId = String((await db.collection('users').findOne({ email }))!._id);
    await collector.waitForCount(
      (m) => m.message.headers?.ce_type?.toString() === registry.TwoFactorDisabled.type && m.message.key?.toString() === userId,
      1,
    );
  });

  it('lets the owner cancel from a signed-in session a reset someone with the password and the mailbox confirmed', async () => {
    const { email, secret } = await withTwoFactor('attacked');
    const owner = await signInWithCode(email, secret);

    // The attacker knows the password and reads the mailbox.
    const { reset } = await expectJson<Reset>(await confirm(await requestResetLink(email)), 202);
    expect(await status(owner)).toMatchObject({ enabled: true, reset });

    // A second link, confirmed while the first reset is pending, neither restarts nor shortens its clock.
    const again = await expectJson<Reset>(await confirm(await requestResetLink(email, 2)), 200);
    expect(again.reset).toEqual(reset);

    expect(await expectJson(await call('/auth/2fa/reset', { method: 'DELETE', token: owner }), 200)).toMatchObject({ reset: null });
    await mailsTo(email, /^The two-factor reset of your .* is cancelled/);
    expect(await status(owner)).toMatchObject({ enabled: true, reset: null });
    await expectProblem(await call('/auth/2fa/reset', { method: 'DELETE', token: owner }), 409, 'conflict');
    await expectProblem(await call('/auth/2fa/reset', { method: 'DELETE' }), 401, 'unauthorized');

    // After the delay, the password alone still gets no session.
    await waitUntilIdentityTime(reset.effectiveAt);
    await mfaTokenFor(email);
    expect(await status(owner)).toMatchObject({ enabled: true });
  });

  it('refuses a link twice, and forged, malformed or expired tokens, with problem+json', async () => {
    const { email } = await withTwoFactor('links');
    const token = await requestResetLink(email);
    await expectJson(await confirm(token), 202);
    await expectProblem(await confirm(token), 400, 'token_used');
    await expectProblem(await confirm('A'.repeat(43)), 400, 'token_invalid');
    await expectProblem(await confirm('not a token'), 400, 'token_malformed');
    await expectProblem(await call('/auth/2fa/reset/confirm', { body: {} }), 400, 'validation_failed');
    await expectProblem(await call('/auth/2fa/reset/confirm', { body: '{"token":' }), 400, 'malformed_json');

    const expiring = await requestResetLink(email, 2);
    await db
      .collection('users')
      .updateOne(
        { email, 'tokens.purpose': 'two-factor-reset', 'tokens.usedAt': null },
        { $set: { 'tokens.$[open].expiresAt': new Date(clock().getTime() - 1_000) } },
        { arrayFilters: [{ 'open.purpose': 'two-factor-reset', 'open.usedAt': null }] },
      );
    await expectProblem(await confirm(expiring), 400, 'token_expired');
  });

  it('refuses a request without a valid mfa_token', async () => {
    const { email } = await withTwoFactor('no-token');
    const request = (body: unknown) => call('/auth/login/2fa/reset', { body });
    await expectProblem(await request({}), 400, 'validation_failed');
    await expectProblem(await request({ mfaToken: 'short' }), 400, 'token_malformed');
    await expectProblem(await request({ mfaToken: 'B'.repeat(43) }), 400, 'token_invalid');
    // A signed-in session's access token is not an mfa_token (nor even shaped like one).
    await expectJson(await call('/auth/register', { body: { email: address('plain'), password: PASSWORD } }), 201);
    const { access_token } = await expectJson<Tokens>(
      await call('/auth/login', { body: { email: address('plain'), password: PASSWORD } }),
      200,
    );
    await expectProblem(await request({ mfaToken: access_token }), 400, 'validation_failed');
    expect((await mailpit.search(`to:"${email}"`)).filter((mail) => /two-factor reset/.test(mail.Subject))).toEqual([]);
  });

  it('voids a pending reset and unconfirmed links when the password changes', async () => {
    const { email, secret } = await withTwoFactor('changes-password');
    const owner = await signInWithCode(email, secret);
    const unconfirmed = await requestResetLink(email);
    const { reset } = await expectJson<Reset>(await confirm(await requestResetLink(email, 2)), 202);

    const newPassword = 'a new and different password';
    await expectJson(await call('/auth/change-password', { token: owner, body: { currentPassword: PASSWORD, newPassword } }), 200);
    expect(await status(owner)).toMatchObject({ enabled: true, reset: null });
    await mailsTo(email, /^The two-factor reset of your .* is cancelled/);
    await expectProblem(await confirm(unconfirmed), 400, 'token_invalid');

    await waitUntilIdentityTime(reset.effectiveAt);
    await mfaTokenFor(email, newPassword);
  });

  it('has no reset pending on an account whose two-factor is off', async () => {
    const { email, secret } = await withTwoFactor('turns-off');
    const link = await requestResetLink(email);
    const owner = await signInWithCode(email, secret);
    await expectJson(await call('/auth/2fa/disable', { token: owner, body: { password: PASSWORD, code: await codeAt(secret) } }), 200);

    // Turning two-factor off voided the link asked for against it: nothing is left to schedule.
    await expectProblem(await confirm(link), 400, 'token_invalid');
    expect(await status(owner)).toEqual({ enabled: false, enabledAt: null, recoveryCodesRemaining: 0, reset: null });
    await expectProblem(await call('/auth/2fa/reset', { method: 'DELETE', token: owner }), 409, 'conflict');
    // Without two-factor, signing in opens a session at once: there is no mfa_token to ask with.
    expect(await expectJson(await call('/auth/login', { body: { email, password: PASSWORD } }), 200)).toHaveProperty('access_token');
  });
});
