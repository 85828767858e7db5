/**
 * Failure classes end to end: EmailRequested on Kafka → the notification service (real Kafka and
 * Mongo-wire server) → the SendGrid SDK → a local server speaking SendGrid's API, scripted per
 * recipient. Checks what the provider received, what was published on notification.deliveries.v1,
 * and what was parked on the group's dead-letter topic.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import { Topics, createEvent, fromKafkaMessage, isEvent, toKafkaMessage, topicOf, type CloudEvent } from '@solar/contracts';
import { ensureTopics, type Service } from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, testInfra, uniqueName, waitFor, type CollectedMessage } from '@solar/chassis/testing';
import mongoose from 'mongoose';
import { createNotificationService } from '../src/main';
import { notificationTestEnv } from './notification-test-env';
import { json, type RecordedRequest } from './fakes/fake-http-server';
import { fakeSendgrid, sendgridMail } from './fakes/fake-sendgrid';

const infra = testInfra();
const name = uniqueName('delivery-failures');
const prefix = `${name}.`;
const SENDGRID_KEY = 'SG.delivery-test.key';
const RETRY_ATTEMPTS = 3;
const topics = {
  requests: `${prefix}${Topics.notificationEmailRequests}`,
  deliveries: `${prefix}${Topics.notificationDeliveries}`,
  dlq: `${prefix}notification.dlq`,
};

const fake = fakeSendgrid(SENDGRID_KEY);
const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'delivery-failures-test', logLevel: logLevel.NOTHING });
const collector = new KafkaCollector(infra.kafkaBrokers, [topics.deliveries, topics.dlq]);
let producer: Producer;
let service: Service;

beforeAll(async () => {
  await fake.start();
  await ensureTopics(kafka, Object.values(topics));
  service = createNotificationService({
    ...notificationTestEnv(name),
    EMAIL_PROVIDER: 'sendgrid',
    SENDGRID_API_KEY: SENDGRID_KEY,
    SENDGRID_API_URL: fake.url,
    PROVIDER_TIMEOUT: '300ms',
    DELIVERY_RETRY_ATTEMPTS: String(RETRY_ATTEMPTS),
    DELIVERY_RETRY_BASE: '10ms',
    DELIVERY_RETRY_MAX: '50ms',
    DELIVERY_SWEEP_INTERVAL: '1s',
  });
  await service.start();
  await collector.start();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await collector.stop();
  await service?.stop();
  await fake.stop();
  const db = await mongoose.createConnection(mongoUrlFor(infra, `${name}-notification`)).asPromise();
  await db.dropDatabase();
  await db.close();
});

beforeEach(() => fake.recover());

/** An email request to an address of its own; requests about one subject share a key, so a partition. */
function request(label: string, subject = `user-${randomUUID()}`): CloudEvent<'EmailRequested'> {
  return createEvent('EmailRequested', {
    source: '/delivery-failures-test',
    subject,
    data: {
      // A template without variables: these tests are about sending, not about what a template needs.
      template: 'password-changed',
      to: `${label}.${randomUUID().slice(0, 8)}@example.test`,
      variables: {},
    },
  });
}

async function publish(...events: CloudEvent<'EmailRequested'>[]): Promise<void> {
  await producer.send({ topic: `${prefix}${topicOf(events[0]!)}`, messages: events.map(toKafkaMessage) });
}

const to = (event: CloudEvent<'EmailRequested'>) => (r: RecordedRequest) =>
  sendgridMail(r).personalizations[0]?.to[0]?.email === event.data.to;
const sendsTo = (event: CloudEvent<'EmailRequested'>) => fake.sends().filter(to(event));

function outcomes(event: CloudEvent<'EmailRequested'>) {
  return collector.messages
    .filter((m) => m.topic === topics.deliveries)
    .map((m) => fromKafkaMessage(m.message))
    .filter((e) => (isEvent(e, 'EmailSent') || isEvent(e, 'EmailFailed')) && e.data.emailRequestId === event.id);
}

async function outcomeOf(event: CloudEvent<'EmailRequested'>) {
  const [outcome] = await waitFor(() => (outcomes(event).length > 0 ? outcomes(event) : undefined), { what: `the outcome of ${event.id}` });
  return outcome!;
}

const parked = (event: CloudEvent<'EmailRequested'>) =>
  collector.messages.filter((m: CollectedMessage) => m.topic === topics.dlq && m.message.headers?.ce_id?.toString() === event.id);

/** A request after the given one on the same partition: once it is sent, the earlier one was fully handled. */
async function sentinelAfter(event: CloudEvent<'EmailRequested'>): Promise<void> {
  const next = request('sentinel', event.subject);
  await publish(next);
  const outcome = await outcomeOf(next);
  expect(outcome.type).toBe('com.solar-intelligence.notification.EmailSent.v1');
}

describe('delivery failure classes', () => {
  it('records a 400 as EmailFailed permanent after exactly one attempt, and parks nothing', async () => {
    const event = request('invalid');
    fake.alwaysWhen(
      to(event),
      json(400, { errors: [{ field: 'personalizations.0.to.0.email', message: 'Does not contain a valid address.' }] }),
    );
    await publish(event);

    const outcome = await outcomeOf(event);
    if (!isEvent(outcome, 'EmailFailed')) throw new Error(`expected EmailFailed, got ${outcome.type}`);
    expect(outcome.data).toMatchObject({
      emailRequestId: event.id,
      provider: 'sendgrid',
      reason: 'invalid_recipient',
      permanent: true,
      attempts: 1,
    });
    expect(outcome.data.detail).toContain('400');
    await sentinelAfter(event);
    expect(sendsTo(event)).toHaveLength(1);
    expect(parked(event)).toHaveLength(0);
    expect(outcomes(event)).toHaveLength(1);
  });

  it('retries a 429 and records EmailSent with the message id of the accepted attempt', async () => {
    const event = request('throttled');
    fake.when(to(event), json(429, { errors: [{ message: 'Too many requests' }] }));
    await publish(event);

    const outcome = await outcomeOf(event);
    if (!isEvent(outcome, 'EmailSent')) throw new Error(`expected EmailSent, got ${outcome.type}`);
    const sends = sendsTo(event);
    expect(sends).toHaveLength(2);
    const accepted = fake.replies[fake.requests.indexOf(sends[1]!)];
    const messageId = accepted && accepted !== 'hang' ? accepted.headers?.['x-message-id'] : undefined;
    expect(messageId).toMatch(/^sg-/);
    expect(outcome.data).toMatchObject({ emailRequestId: event.id, provider: 'sendgrid', providerMessageId: messageId, attempts: 2 });
    // Both attempts carried the same Message-ID, derived from the request.
    expect(sends.map((s) => sendgridMail(s).headers?.['Message-ID'])).toEqual([
      `<${event.id}@solar-accounts.local>`,
      `<${event.id}@solar-accounts.local>`,
    ]);
  });

  it('gives up on a provider that keeps answering 503: N attempts, EmailFailed(provider_unavailable), the DLQ, then goes on', async () => {
    const event = request('unavailable');
    fake.alwaysWhen(to(event), { status: 503, body: 'Service Unavailable' });
    const next = request('after-outage', event.subject);
    await publish(event, next);

    const outcome = await outcomeOf(event);
    if (!isEvent(outcome, 'EmailFailed')) throw new Error(`expected EmailFailed, got ${outcome.type}`);
    expect(outcome.data).toMatchObject({
      reason: 'provider_unavailable',
      permanent: false,
      attempts: RETRY_ATTEMPTS,
      provider: 'sendgrid',
    });
    expect(sendsTo(event)).toHaveLength(RETRY_ATTEMPTS);

    const [message] = await waitFor(() => (parked(event).length > 0 ? parked(event) : undefined), { what: 'the request on the DLQ' });
    const header = (key: string) => message!.message.headers?.[key]?.toString();
    expect(header('dlq-error-code')).toBe('provider_unavailable');
    expect(header('dlq-attempts')).toBe('1');
    expect(header('dlq-original-topic')).toBe(topics.requests);
    expect(header('ce_type')).toBe(event.type);
    expect(message!.message.value?.toString()).toBe(JSON.stringify(event.data));

    // The partition moved on: the next request on the same key was delivered.
    const after = await outcomeOf(next);
    expect(after.type).toBe('com.solar-intelligence.notification.EmailSent.v1');
    expect(sendsTo(next)).toHaveLength(1);
    expect(parked(event)).toHaveLength(1);
  });

  it('counts a provider that never answers as transient: the call times out and the retry is sent', async () => {
    const event = request('hung');
    fake.when(to(event), 'hang');
    await publish(event);

    const outcome = await outcomeOf(event);
    if (!isEvent(outcome, 'EmailSent')) throw new Error(`expected EmailSent, got ${outcome.type}`);
    expect(outcome.data.attempts).toBe(2);
    expect(sendsTo(event)).toHaveLength(2);
    expect(parked(event)).toHaveLength(0);
  });

  it('posts once for a request delivered twice, even once the consumer has forgotten it processed it', async () => {
    const event = request('duplicate');
    await publish(event);
    await publish(event);
    await outcomeOf(event);
    await sentinelAfter(event);

    // Without the consumer's record of processed ids, the delivery record alone must hold the line.
    const db = await mongoose.createConnection(mongoUrlFor(infra, `${name}-notification`)).asPromise();
    await db.collection('processed_events').deleteMany({});
    await db.close();
    await publish(event);
    await sentinelAfter(event);

    expect(sendsTo(event)).toHaveLength(1);
    expect(outcomes(event)).toHaveLength(1);
  });
});
