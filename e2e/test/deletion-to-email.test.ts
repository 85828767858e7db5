import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Topics, createEvent, toKafkaMessage } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, mongoUrlFor, sleepUntil, waitFor, type MailpitSummary } from '@solar/chassis/testing';
import { TestStack } from './support/stack';

const GRACE_MS = 10_000;
const stack = new TestStack('deletion-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'deletion-e2e-test', logLevel: logLevel.NOTHING });
let producer: Producer;
let gatewayUrl: string;
let identityDb: Connection;
let notificationDb: Connection;

const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();

/** Through the gateway, each answer checked against the OpenAPI document. */
function post(path: string, body?: unknown, token?: string) {
  return stack.fetch(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The email to this address whose subject matches, once Mailpit has it. */
function mailTo(email: string, subject: RegExp): Promise<MailpitSummary> {
  return waitFor(async () => (await mailpit.search(`to:"${email}"`)).find((mail) => subject.test(mail.Subject)), {
    timeoutMs: 30_000,
    what: `an email to ${email} matching ${subject}`,
  });
}

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.lifecycle),
    stack.topic(Topics.identityUser),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  producer = kafka.producer();
  await producer.connect();
  await stack.startIdentity({ DELETION_GRACE_PERIOD: '10s' });
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
  identityDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  notificationDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-notification`)).asPromise();
});

afterAll(async () => {
  await producer?.disconnect();
  await stack.stop();
  await identityDb?.close();
  await notificationDb?.close();
});

it('request, cancel, request again, purge at purgeAt: each step emails its owner, and nothing personal stays', async () => {
  const email = address('leaving');
  const password = 'correct horse battery';
  expect((await post('/v1/auth/register', { email, password })).status).toBe(201);
  const login = await post('/v1/auth/login', { email, password });
  expect(login.status).toBe(200);
  const { access_token } = (await login.json()) as { access_token: string };

  expect((await post('/v1/auth/request-deletion', { password }, access_token)).status).toBe(202);
  await mailTo(email, /will be deleted on/);
  expect((await post('/v1/auth/cancel-deletion', undefined, access_token)).status).toBe(200);
  await mailTo(email, /will not be deleted/);

  const again = await post('/v1/auth/request-deletion', { password }, access_token);
  expect(again.status).toBe(202);
  const { deletion } = (await again.json()) as { deletion: { purgeAt: string } };
  const userId = String((await identityDb.collection('users').findOne({ email }))!._id);
  const deletionRequestId = String((await identityDb.collection('users').findOne({ email }))!.deletion.requestId);
  expect(new Date(deletion.purgeAt).getTime() - Date.now()).toBeLessThanOrEqual(GRACE_MS);

  // Lifecycle's part, played here: at purgeAt, DeletionGracePeriodExpired.
  await sleepUntil(new Date(deletion.purgeAt));
  const expired = createEvent('DeletionGracePeriodExpired', { source: '/lifecycle', subject: userId, data: { userId, deletionRequestId } });
  await producer.send({ topic: stack.topic(Topics.lifecycle), messages: [toKafkaMessage(expired)] });

  const farewell = await mailTo(email, /has been deleted/);
  expect(farewell.To.map((to) => to.Address)).toEqual([email]);
  expect((await post('/v1/auth/login', { email, password })).status).toBe(401);

  // Notification erases after the farewell; identity keeps only pseudonyms.
  await waitFor(
    async () => {
      for (const { name } of await notificationDb.listCollections()) {
        if (JSON.stringify(await notificationDb.collection(name).find({}).toArray()).includes(email)) return undefined;
      }
      return true;
    },
    { what: 'notification to erase the address' },
  );
  expect(await identityDb.collection('users').findOne({ _id: userId as never })).toBeNull();
  expect(await identityDb.collection('audit_log').countDocuments({ userId })).toBe(0);
});
