/**
 * Trace context across the outbox and Kafka, within Jest: the SDK's in-memory exporter records the
 * spans; the request is a manual span (Jest bypasses the require hooks that instrument http). Real
 * Mongo-wire server and Kafka broker, as in outbox-relay.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, context, trace } from '@opentelemetry/api';
import { Schema, type Connection, type Model } from 'mongoose';
import { Topics, createEvent, type AnyCloudEvent } from '@solar/contracts';
import {
  DeadLetterError,
  EventConsumer,
  OutboxRelay,
  Publisher,
  connectMongo,
  createKafka,
  createSealer,
  ensureTopics,
  outboxEntryOf,
  outboxEntrySchema,
  parseKeyRing,
  type OutboxEntry,
} from '@solar/chassis';
import {
  KafkaCollector,
  capturingLogger,
  mongoUrlFor,
  recordSpans,
  testInfra,
  testKeyRing,
  uniqueName,
  waitFor,
  type RecordedSpan,
} from '@solar/chassis/testing';

const infra = testInfra();
const recorder = recordSpans();
const tracer = trace.getTracer('trace-propagation-test');

const logLines: string[] = [];
const logger = capturingLogger('chassis-trace-test', logLines);
const sealer = createSealer(parseKeyRing(testKeyRing()));
const prefix = `${uniqueName('chassis-trace')}.`;
const GROUP = 'trace-test';
const kafka = createKafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'chassis-trace-test', topicPrefix: prefix }, logger);
const publisher = new Publisher(kafka, prefix, logger);

interface Aggregate {
  _id: string;
  outbox: OutboxEntry[];
}
const aggregateSchema = new Schema<Aggregate>(
  { _id: { type: String, required: true }, outbox: { type: [outboxEntrySchema], default: [] } },
  { versionKey: false },
);

let db: Connection;
let aggregates: Model<Aggregate>;
let relay: OutboxRelay;
let consumer: EventConsumer;
let deadLetters: KafkaCollector;
/** What the handler saw: the active span's ids for each event id. */
const handled = new Map<string, { traceId: string; spanId: string }>();

beforeAll(async () => {
  db = await connectMongo(mongoUrlFor(infra, uniqueName('chassis-trace')));
  aggregates = db.model<Aggregate>('Aggregate', aggregateSchema, 'aggregates');
  await ensureTopics(kafka, [`${prefix}${Topics.identityUser}`]);
  relay = new OutboxRelay({ collections: [aggregates.collection], publisher, sealer, logger });
  consumer = new EventConsumer({
    kafka,
    group: GROUP,
    topicPrefix: prefix,
    topics: [Topics.identityUser],
    db,
    publisher,
    logger,
    handler: async (event) => {
      const span = trace.getActiveSpan()!.spanContext();
      handled.set(event.id, { traceId: span.traceId, spanId: span.spanId });
      logger.info({ eventId: event.id }, 'handled in the test');
      if (event.type.includes('PasswordChanged')) throw new DeadLetterError('test_dead_letter', 'parked by the test');
    },
  });
  await consumer.start();
  deadLetters = new KafkaCollector(infra.kafkaBrokers, [consumer.deadLetterTopic]);
  await deadLetters.start();
});

afterAll(async () => {
  await deadLetters?.stop();
  await consumer?.stop();
  await relay?.stop();
  await publisher.stop();
  await db?.dropDatabase();
  await db?.close();
  await recorder.stop();
});

const registered = (userId: string) =>
  createEvent('UserRegistered', {
    source: '/chassis-test',
    subject: userId,
    data: { userId, email: `${userId}@example.test`, roles: ['user'], registrationMode: 'open' },
  }) as AnyCloudEvent;
const passwordChanged = (userId: string) =>
  createEvent('PasswordChanged', {
    source: '/chassis-test',
    subject: userId,
    data: { userId, via: 'change', sessionsRevoked: false },
  }) as AnyCloudEvent;

/** A request, as a manual server span, whose work writes a document with outbox entries. */
async function request(id: string, events: AnyCloudEvent[], update = false): Promise<{ traceId: string; spanId: string }> {
  return tracer.startActiveSpan('POST /test', { kind: SpanKind.SERVER }, async (span) => {
    const entries = events.map((event) => outboxEntryOf(event, sealer, new Date()));
    if (update) await aggregates.updateOne({ _id: id }, { $push: { outbox: { $each: entries } } });
    else await aggregates.create({ _id: id, outbox: entries });
    span.end();
    return span.spanContext();
  });
}

const spanNamed = (name: string, traceId: string) =>
  recorder.spans().find((span) => span.name === name && span.spanContext().traceId === traceId);
const parentOf = (span: RecordedSpan | undefined) => span?.parentSpanContext?.spanId;

describe('trace context through the outbox and Kafka', () => {
  it('publishes an entry in the trace of the request that wrote it, and the consumer handles it in that trace', async () => {
    const userId = `user-${randomUUID()}`;
    const event = registered(userId);
    const origin = await request(userId, [event]);
    const [stored] = (await aggregates.findById(userId).lean())!.outbox;
    expect(stored!.traceContext?.traceparent).toBe(`00-${origin.traceId}-${origin.spanId}-01`);

    // The relay runs later, outside the request.
    await context.with(ROOT_CONTEXT, () => relay.flush(aggregates.collection, userId));
    const seen = await waitFor(() => handled.get(event.id), { what: 'the event handled' });

    expect(seen.traceId).toBe(origin.traceId);
    const publish = spanNamed('outbox publish', origin.traceId);
    // The handling span ends after the handler, once the event is recorded as processed.
    const handle = await waitFor(() => spanNamed(`handle ${prefix}${Topics.identityUser}`, origin.traceId), { what: 'the handling span' });
    expect(parentOf(publish)).toBe(origin.spanId);
    expect(parentOf(handle)).toBe(publish!.spanContext().spanId);
    expect(seen.spanId).toBe(handle.spanContext().spanId);
    expect(handle.attributes).toMatchObject({ 'cloudevents.event_id': event.id, 'messaging.consumer.group.name': `${prefix}${GROUP}` });

    // The handler's log line names its trace and span.
    const line = logLines.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.eventId === event.id);
    expect(line).toMatchObject({ trace_id: origin.traceId, span_id: seen.spanId });
  });

  it('publishes entries of one document written by two requests each in its own trace', async () => {
    const userId = `user-${randomUUID()}`;
    const first = registered(userId);
    const second = registered(userId);
    const a = await request(userId, [first]);
    const b = await request(userId, [second], true);
    expect(a.traceId).not.toBe(b.traceId);

    await relay.flush(aggregates.collection, userId);

    expect((await waitFor(() => handled.get(first.id), { what: 'the first event' })).traceId).toBe(a.traceId);
    expect((await waitFor(() => handled.get(second.id), { what: 'the second event' })).traceId).toBe(b.traceId);
  });

  it('sends a dead-lettered event on in the same trace', async () => {
    const userId = `user-${randomUUID()}`;
    const event = passwordChanged(userId);
    const origin = await request(userId, [event]);

    await relay.flush(aggregates.collection, userId);

    const [parked] = await deadLetters.waitForCount((m) => m.message.headers?.ce_id?.toString() === event.id, 1);
    const traceparent = parked!.message.headers?.traceparent?.toString() ?? '';
    expect(traceparent.split('-')[1]).toBe(origin.traceId);
    // Its parent is the consumer's handling span, not the span of the original publish.
    expect(traceparent.split('-')[2]).toBe(handled.get(event.id)!.spanId);
  });
});
