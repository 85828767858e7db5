/**
 * EventConsumer against a real Kafka broker and a real Mongo-wire server: typed delivery, dedupe on
 * ce_id through processed_events, dead-lettering of poison messages and of handlers that keep
 * failing, and that the partition keeps moving after each of those.
 *
 * Every test gets a topic prefix (so topics, group and DLQ) of its own. "Exactly once" is checked
 * with a sentinel: a later event with the same key lands on the same partition, which a consumer
 * processes in order, so once the sentinel has been handled everything before it has been too.
 */
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { Topics, createEvent, isEvent, toKafkaMessage, topicOf, type AnyCloudEvent, type CloudEvent } from '@solar/contracts';
import {
  DeadLetterError,
  EventConsumer,
  Publisher,
  connectMongo,
  createKafka,
  createLogger,
  type BackoffPolicy,
  type EventHandler,
} from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, testInfra, uniqueName, waitFor } from '@solar/chassis/testing';

const infra = testInfra();
const logger = createLogger({ service: 'chassis-consumer-test', level: 'silent' });
const GROUP = 'consumer-test';
const FAST_RETRY: BackoffPolicy = { attempts: 3, initialMs: 10, maxMs: 50 };

let db: Connection;
let admin: Admin;
const stoppers: (() => Promise<void>)[] = [];
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  db = await connectMongo(mongoUrlFor(infra, uniqueName('chassis-consumer')));
  admin = new Kafka({
    brokers: infra.kafkaBrokers.split(','),
    clientId: 'chassis-consumer-test-admin',
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
});

afterAll(async () => {
  // Consumers and collectors leave their groups in parallel (each waits out a fetch); then producers.
  await Promise.allSettled(stoppers.map((stop) => stop()));
  await Promise.allSettled(cleanups.map((stop) => stop()));
  await admin?.disconnect();
  await db?.dropDatabase();
  await db?.close();
});

interface Harness {
  prefix: string;
  publisher: Publisher;
  consumer: EventConsumer;
  /** Every event the handler was called with, in order, failed calls included. */
  calls: AnyCloudEvent[];
  publish(...events: AnyCloudEvent[]): Promise<void>;
  /** Publishes a UserRegistered with this key and resolves once the handler has seen it. */
  sentinel(subject: string): Promise<void>;
  deadLetters(): Promise<KafkaCollector>;
}

async function startConsumer(
  handler: EventHandler,
  options: { retry?: BackoffPolicy; topics?: string[]; wants?: (event: AnyCloudEvent) => boolean } = {},
): Promise<Harness> {
  const prefix = `${uniqueName('chassis-consumer')}.`;
  const kafka = createKafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'chassis-consumer-test', topicPrefix: prefix }, logger);
  const publisher = new Publisher(kafka, prefix, logger);
  cleanups.push(() => publisher.stop());
  const calls: AnyCloudEvent[] = [];
  const consumer = new EventConsumer({
    kafka,
    group: GROUP,
    topicPrefix: prefix,
    topics: options.topics ?? [Topics.identityUser],
    handler: async (event, context) => {
      calls.push(event);
      await handler(event, context);
    },
    db,
    publisher,
    logger,
    ...(options.retry ? { retry: options.retry } : {}),
    ...(options.wants ? { wants: options.wants } : {}),
  });
  stoppers.push(() => consumer.stop());
  await consumer.start();

  let collector: KafkaCollector | undefined;
  const harness: Harness = {
    prefix,
    publisher,
    consumer,
    calls,
    publish: (...events) => publisher.send(events.map((event) => ({ topic: topicOf(event), ...toKafkaMessage(event) }))),
    async sentinel(subject) {
      const marker = registered(subject);
      await harness.publish(marker);
      await waitFor(() => (calls.some((call) => call.id === marker.id) ? true : undefined), { what: `sentinel ${marker.id}` });
    },
    async deadLetters() {
      if (!collector) {
        collector = new KafkaCollector(infra.kafkaBrokers, [consumer.deadLetterTopic]);
        const started = collector;
        stoppers.push(() => started.stop());
        await collector.start();
      }
      return collector;
    },
  };
  return harness;
}

function registered(subject: string, id?: string): CloudEvent<'UserRegistered'> {
  return createEvent('UserRegistered', {
    source: '/chassis-test',
    subject,
    ...(id ? { id } : {}),
    data: { userId: subject, email: `${subject}@example.test`, roles: ['user'], registrationMode: 'open' },
  });
}

/** Records ever written to a topic (its partitions' high watermarks): exact, whatever consumers lag. */
async function recordCount(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}

const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();
const callsOf = (calls: AnyCloudEvent[], id: string) => calls.filter((call) => call.id === id).length;
const processedCount = (harness: Harness, eventId: string) =>
  db.collection('processed_events').countDocuments({ _id: `${harness.prefix}${GROUP}:${eventId}` } as never);

describe('EventConsumer', () => {
  it('hands each published event to the handler exactly once, with its data parsed by the contract', async () => {
    const emails: string[] = [];
    const templates: string[] = [];
    const harness = await startConsumer(
      async (event) => {
        // Narrowing on the type gives the event's own data type; these lines would not compile otherwise.
        if (isEvent(event, 'UserRegistered')) emails.push(event.data.email);
        if (isEvent(event, 'EmailRequested')) templates.push(`${event.data.template}/${event.data.locale}`);
      },
      { topics: [Topics.identityUser, Topics.notificationEmailRequests] },
    );
    const subject = `user-${randomUUID()}`;
    const first = registered(subject);
    const second = createEvent('EmailVerified', {
      source: '/chassis-test',
      subject,
      data: { userId: subject, email: `${subject}@example.test` },
    });
    const email = createEvent('EmailRequested', {
      source: '/chassis-test',
      subject,
      data: { template: 'verify-email', to: `${subject}@example.test`, variables: { link: 'https://app.example/verify?token=t0k3n' } },
    });
    await harness.publish(first, second, email);

    await waitFor(() => (harness.calls.length >= 3 ? true : undefined), { what: 'three events' });
    await harness.sentinel(subject);
    const emailSentinel = createEvent('EmailRequested', {
      source: '/chassis-test',
      subject,
      data: { template: 'verify-email', to: `${subject}@example.test`, variables: {} },
    });
    await harness.publish(emailSentinel);
    await waitFor(() => (callsOf(harness.calls, emailSentinel.id) === 1 ? true : undefined), { what: 'email sentinel' });

    for (const event of [first, second, email]) {
      expect(callsOf(harness.calls, event.id)).toBe(1);
      expect(harness.calls.find((call) => call.id === event.id)).toEqual(event);
      expect(await processedCount(harness, event.id)).toBe(1);
    }
    expect(harness.calls).toHaveLength(5);
    expect(emails).toEqual([`${subject}@example.test`, `${subject}@example.test`]);
    // The locale default was applied by the schema, on the producer's side and read back the same.
    expect(templates).toEqual(['verify-email/en', 'verify-email/en']);
  });

  it('calls the handler once when the same ce_id is published twice', async () => {
    const harness = await startConsumer(async () => undefined);
    const subject = `user-${randomUUID()}`;
    const event = registered(subject);
    await harness.publish(event);
    await harness.publish(event);
    await harness.sentinel(subject);

    expect(callsOf(harness.calls, event.id)).toBe(1);
    expect(await processedCount(harness, event.id)).toBe(1);
    expect(harness.calls).toHaveLength(2);
  });

  it('passes over an event no handler wants without calling the handler or marking it processed', async () => {
    const harness = await startConsumer(async () => undefined, { wants: (event) => !isEvent(event, 'EmailVerified') });
    const subject = `user-${randomUUID()}`;
    const unwanted = createEvent('EmailVerified', {
      source: '/chassis-test',
      subject,
      data: { userId: subject, email: `${subject}@example.test` },
    });
    await harness.publish(unwanted);
    await harness.sentinel(subject);

    expect(callsOf(harness.calls, unwanted.id)).toBe(0);
    expect(await processedCount(harness, unwanted.id)).toBe(0);
    expect(harness.calls).toHaveLength(1);
  });

  it('sends poison messages to <prefix><group>.dlq with the error code and original headers, and goes on', async () => {
    const harness = await startConsumer(async () => undefined);
    const dlq = await harness.deadLetters();
    expect(harness.consumer.deadLetterTopic).toBe(`${harness.prefix}${GROUP}.dlq`);
    const subject = `user-${randomUUID()}`;
    const topic = `${harness.prefix}${Topics.identityUser}`;
    const valid = toKafkaMessage(registered(subject));

    const invalidJson = { ...valid, headers: { ...valid.headers, ce_id: randomUUID() }, value: '{"userId": "oops' };
    const unknownType = { ...valid, headers: { ...valid.headers, ce_id: randomUUID(), ce_type: 'com.example.Unknown.v1' } };
    const noHeaders = { key: subject, value: valid.value, headers: { 'x-test-marker': 'no-ce-headers' } };
    await harness.publisher.sendRaw(topic, [invalidJson, unknownType, noHeaders]);
    const next = registered(subject);
    await harness.publish(next);

    await waitFor(() => (callsOf(harness.calls, next.id) === 1 ? true : undefined), { what: 'the valid event after the poison' });
    const parked = await dlq.waitForCount(() => true, 3);
    expect(await recordCount(harness.consumer.deadLetterTopic)).toBe(3);
    const byCode = Object.fromEntries(parked.map(({ message }) => [header(message, 'dlq-error-code'), message]));
    expect(Object.keys(byCode).sort()).toEqual(['invalid_headers', 'invalid_json', 'unknown_event_type']);

    const json = byCode['invalid_json']!;
    expect(json.value?.toString()).toBe('{"userId": "oops');
    expect(json.key?.toString()).toBe(subject);
    expect(header(json, 'ce_id')).toBe(invalidJson.headers.ce_id);
    expect(header(json, 'ce_type')).toBe(valid.headers.ce_type);
    expect(header(json, 'content-type')).toBe('application/json');

    const unknown = byCode['unknown_event_type']!;
    expect(header(unknown, 'ce_type')).toBe('com.example.Unknown.v1');
    expect(header(unknown, 'ce_id')).toBe(unknownType.headers.ce_id);
    expect(unknown.value?.toString()).toBe(valid.value);

    const headerless = byCode['invalid_headers']!;
    expect(header(headerless, 'x-test-marker')).toBe('no-ce-headers');
    expect(header(headerless, 'ce_id')).toBeUndefined();

    for (const { message } of parked) {
      expect(header(message, 'dlq-original-topic')).toBe(topic);
      expect(header(message, 'dlq-consumer-group')).toBe(`${harness.prefix}${GROUP}`);
      expect(header(message, 'dlq-attempts')).toBe('0');
      expect(header(message, 'dlq-error-message')).toBeTruthy();
      expect(header(message, 'dlq-original-offset')).toMatch(/^\d+$/);
    }
    // None of the poison reached the handler: only the valid event did.
    expect(harness.calls.map((call) => call.id)).toEqual([next.id]);
  });

  it('retries a handler that fails twice, then records the event as processed once', async () => {
    const flaky = new Set<string>();
    const failures = new Map<string, number>();
    const succeeded: string[] = [];
    const harness = await startConsumer(
      async (event) => {
        const failed = failures.get(event.id) ?? 0;
        if (flaky.has(event.id) && failed < 2) {
          failures.set(event.id, failed + 1);
          throw new Error(`transient failure ${failed + 1}`);
        }
        succeeded.push(event.id);
      },
      { retry: FAST_RETRY },
    );
    const subject = `user-${randomUUID()}`;
    const event = registered(subject);
    flaky.add(event.id);
    await harness.publish(event);
    await waitFor(() => (succeeded.includes(event.id) ? true : undefined), { what: 'the flaky event to succeed' });
    await harness.publish(event); // a redelivery after success is still a no-op
    const marker = registered(subject);
    await harness.publish(marker);
    await waitFor(() => (succeeded.includes(marker.id) ? true : undefined), { what: 'the event after the flaky one' });

    expect(callsOf(harness.calls, event.id)).toBe(3);
    expect(succeeded.filter((id) => id === event.id)).toHaveLength(1);
    expect(await processedCount(harness, event.id)).toBe(1);
    expect(await recordCount(harness.consumer.deadLetterTopic)).toBe(0);
  });

  it('dead-letters a handler that always fails after 3 attempts with handler_failed, and goes on', async () => {
    const broken = registered(`user-${randomUUID()}`);
    const handled: string[] = [];
    const harness = await startConsumer(
      async (event) => {
        if (event.id === broken.id) throw new Error('the handler cannot do this');
        handled.push(event.id);
      },
      { retry: FAST_RETRY },
    );
    const dlq = await harness.deadLetters();
    const next = registered(broken.subject);
    await harness.publish(broken);
    await harness.publish(next);

    await waitFor(() => (handled.includes(next.id) ? true : undefined), { what: 'the event after the broken one' });
    const [parked] = await dlq.waitForCount(() => true, 1);
    expect(callsOf(harness.calls, broken.id)).toBe(3);
    expect(handled).toEqual([next.id]);
    expect(await recordCount(harness.consumer.deadLetterTopic)).toBe(1);
    const message = parked!.message;
    expect(header(message, 'dlq-error-code')).toBe('handler_failed');
    expect(header(message, 'dlq-attempts')).toBe('3');
    expect(header(message, 'dlq-error-message')).toBe('the handler cannot do this');
    expect(header(message, 'ce_id')).toBe(broken.id);
    expect(header(message, 'ce_type')).toBe(broken.type);
    expect(message.value?.toString()).toBe(JSON.stringify(broken.data));
    // Not recorded as processed: republishing it (after a fix) would run the handler again.
    expect(await processedCount(harness, broken.id)).toBe(0);
    // Recorded just after its handler returns, so it may land a moment after `handled` saw it.
    await waitFor(async () => ((await processedCount(harness, next.id)) === 1 ? true : undefined), { what: 'the next event recorded' });
  });

  it('parks an event whose handler throws DeadLetterError at once, with its code and attempts, and goes on', async () => {
    const parkedEvent = registered(`user-${randomUUID()}`);
    const handled: string[] = [];
    const harness = await startConsumer(
      async (event) => {
        if (event.id === parkedEvent.id) throw new DeadLetterError('provider_unavailable', 'retried 4 times already', 4);
        handled.push(event.id);
      },
      { retry: FAST_RETRY },
    );
    const dlq = await harness.deadLetters();
    const next = registered(parkedEvent.subject);
    await harness.publish(parkedEvent);
    await harness.publish(next);

    await waitFor(() => (handled.includes(next.id) ? true : undefined), { what: 'the event after the parked one' });
    const [parked] = await dlq.waitForCount(() => true, 1);
    // No consumer retries: the handler said retrying here cannot help.
    expect(callsOf(harness.calls, parkedEvent.id)).toBe(1);
    expect(await recordCount(harness.consumer.deadLetterTopic)).toBe(1);
    const message = parked!.message;
    expect(header(message, 'dlq-error-code')).toBe('provider_unavailable');
    expect(header(message, 'dlq-error-message')).toBe('retried 4 times already');
    expect(header(message, 'dlq-attempts')).toBe('4');
    expect(header(message, 'dlq-consumer-group')).toBe(`${harness.prefix}${GROUP}`);
    expect(header(message, 'dlq-original-topic')).toBe(`${harness.prefix}${Topics.identityUser}`);
    expect(header(message, 'ce_id')).toBe(parkedEvent.id);
    expect(message.value?.toString()).toBe(JSON.stringify(parkedEvent.data));
    expect(await processedCount(harness, parkedEvent.id)).toBe(0);
    expect(await processedCount(harness, next.id)).toBe(1);
  });
});
