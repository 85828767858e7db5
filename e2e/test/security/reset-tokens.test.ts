import { Kafka, logLevel } from 'kafkajs';
import { generate } from 'otplib';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';
import { apiClient, expectJson } from '../support/api-client';

// Security review finding 4c: reset links and sign-in challenges issued before a password reset or
// change used to outlive it.
const stack = new TestStack('reset-tokens-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'reset-tokens-e2e-test', logLevel: logLevel.NOTHING });
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);

// Identity's clock, moved by the tests: a TOTP step is spent by each use, so the next code needs the next step.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(clock().getTime() / 1000) });

const PASSWORD = 'a long and proper password';
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();

/** The reset tokens mailed to `email` so far. */
async function resetTokens(email: string): Promise<string[]> {
  const tokens: string[] = [];
  for (const summary of await mailpit.search(`to:"${email}"`)) {
    const token = /\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec((await mailpit.message(summary.ID)).Text)?.[1];
    if (token) tokens.push(token);
  }
  return tokens;
}

/** Asks for a reset link through the gateway and waits for its email: the new token. */
async function requestReset(email: string): Promise<string> {
  const before = new Set(await resetTokens(email));
  expect((await call('/auth/request-password-reset', { body: { email } })).status).toBe(202);
  return waitFor(async () => (await resetTokens(email)).find((token) => !before.has(token)), { what: `a reset email to ${email}` });
}

async function signUp(label: string): Promise<{ email: string; accessToken: string }> {
  const email = address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  const tokens = await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
  return { email, accessToken: tokens.access_token };
}

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.identitySecurity),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  await stack.startIdentity({}, { clock });
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(() => stack.stop());

describe('reset links and sign-in challenges after a password reset or change', () => {
  it('an older reset link stops working once the password is reset with a newer one', async () => {
    const { email } = await signUp('reset');
    const older = await requestReset(email);
    const newer = await requestReset(email);
    expect((await call('/auth/reset-password', { body: { token: newer, newPassword: 'another long password one' } })).status).toBe(200);
    const refused = await call('/auth/reset-password', { body: { token: older, newPassword: 'the attacker password two' } });
    expect(await expectJson(refused, 400)).toMatchObject({ code: 'token_invalid' });
  });

  it('a reset link stops working once the password is changed', async () => {
    const { email, accessToken } = await signUp('change');
    const link = await requestReset(email);
    const changed = await call('/auth/change-password', {
      token: accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'another long password one' },
    });
    expect(changed.status).toBe(200);
    const refused = await call('/auth/reset-password', { body: { token: link, newPassword: 'the attacker password two' } });
    expect(await expectJson(refused, 400)).toMatchObject({ code: 'token_invalid' });
  });

  it('a sign-in challenge opened before a password change is refused after it', async () => {
    // Two-factor needs a verified address and the password.
    const email = address('challenge');
    const accessToken = await stack.signUpVerified(email, PASSWORD);
    const { secret } = await expectJson<{ secret: string }>(
      await call('/auth/2fa/enable', { token: accessToken, body: { password: PASSWORD } }),
      200,
    );
    await expectJson(await call('/auth/2fa/verify', { token: accessToken, body: { password: PASSWORD, code: await codeAt(secret) } }), 200);
    offsetMs += 30_000;

    // Whoever knows the old password opens a challenge, then the owner changes the password.
    const { mfa_token } = await expectJson<{ mfa_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
    const changed = await call('/auth/change-password', {
      token: accessToken,
      body: { currentPassword: PASSWORD, newPassword: 'another long password one' },
    });
    expect(changed.status).toBe(200);
    const refused = await call('/auth/login/2fa', { body: { mfaToken: mfa_token, code: await codeAt(secret) } });
    expect(await expectJson(refused, 400)).toMatchObject({ code: 'token_invalid' });
  });
});
