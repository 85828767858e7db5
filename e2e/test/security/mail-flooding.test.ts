import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, mongoUrlFor, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';

// Security review finding 4b: every reset request (and every register on a taken address) sent an
// email, so anyone could flood a mailbox through the public API.
const stack = new TestStack('mail-flooding-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'mail-flooding-e2e-test', logLevel: logLevel.NOTHING });
let gatewayUrl: string;
let notificationDb: Connection;

function call(path: string, body: unknown) {
  return stack.fetch(`${gatewayUrl}/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.identitySecurity),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  await stack.startIdentity();
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
  notificationDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-notification`)).asPromise();
});

afterAll(async () => {
  await notificationDb?.close();
  await stack.stop();
});

describe('mail flooding', () => {
  it('five reset requests for one address are all answered 202, and three emails go out', async () => {
    const email = `flooded.${stack.name}@example.test`.toLowerCase();
    await stack.signUp(email, 'a long and proper password');
    for (let i = 0; i < 5; i++) expect((await call('/auth/request-password-reset', { email })).status).toBe(202);

    // Every request handled (sent or held back), then the mailbox counted.
    await waitFor(
      async () =>
        (await notificationDb
          .collection('deliveries')
          .countDocuments({ to: email, template: 'password-reset', status: { $ne: 'sending' } })) === 5
          ? true
          : undefined,
      { what: 'five reset requests handled' },
    );
    const resets = await waitFor(
      async () => {
        const found = await mailpit.search(`to:"${email}" subject:"password"`);
        return found.length >= 3 ? found : undefined;
      },
      { what: `the reset emails to ${email}` },
    );
    expect(resets).toHaveLength(3);
  });
});
