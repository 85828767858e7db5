/**
 * Security review, finding 2: setting up two-factor needed only a bearer token, unverified accounts
 * could do it, and a password reset left it on. So a stolen access token could put an account behind
 * the thief's authenticator app, and a squatter who registered someone's address first could keep
 * its owner out even after the owner reset the password from their own mailbox. The attacks, through
 * the gateway against the real services.
 */
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { generate } from 'otplib';
import { Topics, registry } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, mongoUrlFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';
import { apiClient, expectJson } from '../support/api-client';

const stack = new TestStack('two-factor-squatting');
const topics = [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests].map((t) => stack.topic(t));
const collector = new KafkaCollector(stack.infra.kafkaBrokers, topics);
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const PASSWORD = 'a long and proper password';
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let db: Connection;

const accessToken = async (email: string, password = PASSWORD) =>
  (await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email, password } }), 200)).access_token;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  await stack.startIdentity();
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
  db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
});

afterAll(async () => {
  await collector.stop();
  await stack.stop();
  await db?.close();
});

describe('two-factor squatting', () => {
  it('does not let a stolen bearer token alone set up two-factor', async () => {
    const email = address('owner');
    await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
    await expectJson(
      await call('/auth/verify-email', { body: { token: await stack.emailedToken(collector, email, 'verify-email') } }),
      200,
    );
    const stolen = await accessToken(email);

    for (const body of [{}, { password: 'what the thief guesses' }]) {
      const response = await call('/auth/2fa/enable', { token: stolen, body });
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await response.json()).toMatchObject({ code: 'password' in body ? 'invalid_credentials' : 'validation_failed' });
    }
    await expectJson(await call('/auth/2fa/verify', { token: stolen, body: { password: 'what the thief guesses', code: '123456' } }), 401);
    expect((await db.collection('users').findOne({ email }))?.twoFactor?.pendingSecret ?? null).toBeNull();
    // Nothing was set up: the owner still signs in with the password alone.
    await accessToken(email);
  });

  it('does not let an account whose address is unverified set up two-factor', async () => {
    const email = address('squatted');
    await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
    const squatter = await accessToken(email);
    const refused = await expectJson(await call('/auth/2fa/enable', { token: squatter, body: { password: PASSWORD } }), 403);
    expect(refused).toMatchObject({ code: 'email_not_verified' });
  });

  it("clears a squatter's two-factor when the address's owner resets the password by the emailed link", async () => {
    const email = address('taken-over');
    await expectJson(await call('/auth/register', { body: { email, password: 'the squatter password is long' } }), 201);
    // The squatter sets two-factor up without ever holding the mailbox, as the code before the fix
    // allowed. Setup now wants a verified address, so the account counts as verified for the setup
    // only: afterwards it is as unverified as a squatted account from before the fix.
    await db.collection('users').updateOne({ email }, { $set: { emailVerifiedAt: new Date() } });
    const squatter = await accessToken(email, 'the squatter password is long');
    const { secret } = await expectJson<{ secret: string }>(
      await call('/auth/2fa/enable', { token: squatter, body: { password: 'the squatter password is long' } }),
      200,
    );
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
    await expectJson(await call('/auth/2fa/verify', { token: squatter, body: { password: 'the squatter password is long', code } }), 200);
    await db.collection('users').updateOne({ email }, { $set: { emailVerifiedAt: null } });
    expect(await expectJson(await call('/auth/login', { body: { email, password: 'the squatter password is long' } }), 200)).toMatchObject({
      mfa_required: true,
    });

    // The owner proves the mailbox: the reset link goes to it.
    await expectJson(await call('/auth/request-password-reset', { body: { email } }), 202);
    await expectJson(
      await call('/auth/reset-password', {
        body: { token: await stack.emailedToken(collector, email, 'password-reset'), newPassword: PASSWORD },
      }),
      200,
    );
    const signedIn = await expectJson(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
    expect(signedIn).toMatchObject({ access_token: expect.any(String) });
    expect(signedIn).not.toHaveProperty('mfa_required');
    const userId = String((await db.collection('users').findOne({ email }))!._id);
    await collector.waitForCount(
      (m) => m.message.headers?.ce_type?.toString() === registry.TwoFactorDisabled.type && m.message.key?.toString() === userId,
      1,
    );
  });
});
