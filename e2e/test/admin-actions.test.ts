import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { generate } from 'otplib';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, Mailpit, mongoUrlFor, waitFor } from '@solar/chassis/testing';
import { TestStack } from './support/stack';
import { apiClient, expectJson, expectProblem } from './support/api-client';

const stack = new TestStack('admin-actions-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const topics = [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests].map((t) => stack.topic(t));
const collector = new KafkaCollector(stack.infra.kafkaBrokers, topics);
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let db: Connection;
let adminToken: string;

const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const ADMIN = address('operator');
const PASSWORD = 'a long and proper password';

const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(Date.now() / 1000) });

interface Tokens {
  access_token: string;
}

async function signUp(label: string): Promise<{ email: string; userId: string; tokens: Tokens }> {
  const email = address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  await expectJson(await call('/auth/verify-email', { body: { token: await stack.emailedToken(collector, email, 'verify-email') } }), 200);
  const tokens = await expectJson<Tokens>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
  return { email, userId: String((await db.collection('users').findOne({ email }))!._id), tokens };
}

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  await stack.startIdentity({ ADMIN_EMAILS: ADMIN });
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
  db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  // Listed in ADMIN_EMAILS: the verification link makes it admin, and its sign-in is recent enough for the actions.
  adminToken = (await signUp('operator')).tokens.access_token;
});

afterAll(async () => {
  await collector.stop();
  await stack.stop();
  await db?.close();
});

describe('admin actions through the gateway', () => {
  it('resets two-factor of an account, and its owner gets the email', async () => {
    const { email, userId, tokens } = await signUp('lost-phone');
    const { secret } = await expectJson<{ secret: string }>(
      await call('/auth/2fa/enable', { token: tokens.access_token, body: { password: PASSWORD } }),
      200,
    );
    await expectJson(
      await call('/auth/2fa/verify', { token: tokens.access_token, body: { password: PASSWORD, code: await codeAt(secret) } }),
      200,
    );
    await expectProblem(
      await call(`/admin/users/${userId}/reset-two-factor`, { method: 'POST', token: tokens.access_token }),
      403,
      'forbidden',
    );

    await expectJson(await call(`/admin/users/${userId}/reset-two-factor`, { method: 'POST', token: adminToken }), 204);
    const mail = await waitFor(
      async () => (await mailpit.search(`to:"${email}" subject:"Our support team turned off two-factor authentication"`))[0],
      { what: 'the two-factor-reset-by-admin email' },
    );
    expect(mail.Subject).toContain('two-factor authentication');
    // The password alone signs in now.
    expect(await expectJson(await call('/auth/login', { body: { email, password: PASSWORD } }), 200)).toHaveProperty('access_token');
  });

  it('disables an account (its login refused with account_disabled) and enables it again', async () => {
    const { email, userId } = await signUp('suspended');
    await expectJson(await call(`/admin/users/${userId}/disable`, { body: { reason: 'fraud report' }, token: adminToken }), 204);
    await expectProblem(await call('/auth/login', { body: { email, password: PASSWORD } }), 403, 'account_disabled');
    await expectJson(await call(`/admin/users/${userId}/enable`, { method: 'POST', token: adminToken }), 204);
    await expectJson(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
  });
});
