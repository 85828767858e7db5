import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { Topics, fromKafkaMessage, isEvent, registry } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, Mailpit, mongoUrlFor, waitFor, waitForCommitted, type CollectedMessage } from '@solar/chassis/testing';
import { TestStack } from './support/stack';

const stack = new TestStack('register-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'register-e2e-test', logLevel: logLevel.NOTHING });
const collector = new KafkaCollector(stack.infra.kafkaBrokers, [
  stack.topic(Topics.identityUser),
  stack.topic(Topics.notificationEmailRequests),
]);
let gatewayUrl: string;

const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return stack.fetch(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function eventsOf(name: 'UserRegistered' | 'EmailVerified' | 'EmailRequested', email: string) {
  return (m: CollectedMessage) => {
    if (m.message.headers?.ce_type?.toString() !== registry[name].type) return false;
    return JSON.stringify(JSON.parse(m.message.value!.toString())).includes(`"${email}"`);
  };
}

async function onlyEmailTo(email: string) {
  return waitFor(
    async () => {
      const found = await mailpit.search(`to:"${email}"`);
      return found.length > 0 ? found : undefined;
    },
    { what: `an email to ${email}` },
  );
}

beforeAll(async () => {
  await ensureTopics(kafka, [stack.topic(Topics.identityUser), stack.topic(Topics.notificationEmailRequests)]);
  await stack.startIdentity();
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
});

afterAll(async () => {
  await collector.stop();
  await stack.stop();
});

describe('register through the gateway', () => {
  it('stores the user, publishes UserRegistered as a CloudEvent, and emails a working verification link', async () => {
    const email = address('Ada');
    const response = await post('/v1/auth/register', { email: `  ${email.toUpperCase()} `, password: 'correct horse battery' });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ status: 'verification_pending', message: expect.any(String) });

    const [registered] = await collector.waitForCount(eventsOf('UserRegistered', email), 1);
    const { message } = registered!;
    const event = fromKafkaMessage(message);
    if (!isEvent(event, 'UserRegistered')) throw new Error(`unexpected ${event.type}`);
    expect(event.data).toEqual({ userId: expect.any(String), email, roles: ['user'], registrationMode: 'open' });
    expect(message.key?.toString()).toBe(event.data.userId);
    expect(Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, v?.toString()]))).toMatchObject({
      ce_specversion: '1.0',
      ce_type: 'com.solar-intelligence.identity.UserRegistered.v1',
      ce_source: '/identity',
      ce_subject: event.data.userId,
      ce_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ce_time: expect.any(String),
      'content-type': 'application/json',
    });

    const [summary] = await onlyEmailTo(email);
    const mail = await mailpit.message(summary!.ID);
    expect(mail.Subject).toMatch(/confirm your email/i);
    const link = /https:\/\/app\.solar\.test\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail.Text);
    expect(link).not.toBeNull();
    expect(mail.HTML).toContain(link![0]);

    const verified = await post('/v1/auth/verify-email', { token: link![1] });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ email, emailVerified: true });
    await collector.waitForCount(eventsOf('EmailVerified', email), 1);

    const again = await post('/v1/auth/verify-email', { token: link![1] });
    expect(again.status).toBe(400);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(await again.json()).toMatchObject({ code: 'token_used' });
  });

  it('sends no second email when the same request is redelivered, across a notification restart', async () => {
    const email = address('grace');
    expect((await post('/v1/auth/register', { email, password: 'another fine password' })).status).toBe(201);
    await onlyEmailTo(email);
    const [requested] = await collector.waitForCount(eventsOf('EmailRequested', email), 1);

    await stack.stopService('notification');
    await stack.startNotification();
    const first = await redeliver(requested!);
    await waitForCommitted(stack.infra.kafkaBrokers, stack.topic('notification'), [first]);

    // Without the consumer's record of processed ids, the delivery record alone must hold the line.
    const db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-notification`)).asPromise();
    await db.collection('processed_events').deleteMany({});
    await db.close();
    const second = await redeliver(requested!);
    await waitForCommitted(stack.infra.kafkaBrokers, stack.topic('notification'), [second]);

    expect(await mailpit.search(`to:"${email}"`)).toHaveLength(1);
  });
});

describe('register refuses bad input', () => {
  const cases: [string, string | object, number, string][] = [
    ['a missing password', { email: address('missing') }, 400, 'validation_failed'],
    ['a missing body', '', 400, 'validation_failed'],
    ['wrong types', { email: 42, password: ['x'] }, 400, 'validation_failed'],
    ['a non-JSON body', '{"email": "a@b.c", ', 400, 'malformed_json'],
    ['an operator instead of an address', { email: { $gt: '' }, password: 'long enough password' }, 400, 'validation_failed'],
    ['a password that is too short', { email: address('short'), password: 'short' }, 400, 'validation_failed'],
    ['a password that is too long', { email: address('long'), password: 'x'.repeat(129) }, 400, 'validation_failed'],
    ['a 2 MB body', { email: address('huge'), password: 'y'.repeat(2 * 1024 * 1024) }, 413, 'payload_too_large'],
  ];

  it.each(cases)('answers %s with problem+json', async (_name, body, status, code) => {
    const response = await post('/v1/auth/register', body);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await response.json()) as Record<string, unknown>;
    expect(problem).toMatchObject({ status, code, type: `urn:solar-accounts:problem:${code}`, title: expect.any(String) });
    expect(JSON.stringify(problem)).not.toContain('long enough password');
  });

  it('stores and publishes nothing for any of them', async () => {
    const db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
    const emails = ['missing', 'short', 'long', 'huge'].map(address);
    expect(await db.collection('users').countDocuments({ email: { $in: emails } })).toBe(0);
    await db.close();
    // A registration after the bad ones shows identity publishing; reading every partition to its end
    // then covers anything the bad ones caused, whatever key (so partition) it went out under.
    const marker = address('marker');
    expect((await post('/v1/auth/register', { email: marker, password: 'a valid password' })).status).toBe(201);
    await collector.waitForCount(eventsOf('UserRegistered', marker), 1);
    await collector.caughtUp();
    expect(collector.messages.filter((m) => emails.some((e) => m.message.value?.toString().includes(e)))).toHaveLength(0);
  });
});

async function redeliver(original: CollectedMessage) {
  const producer = kafka.producer();
  await producer.connect();
  const [metadata] = await producer.send({
    topic: original.topic,
    messages: [{ key: original.message.key, value: original.message.value, headers: original.message.headers! }],
  });
  await producer.disconnect();
  return { topic: original.topic, partition: metadata!.partition, offset: Number(metadata!.baseOffset) };
}
