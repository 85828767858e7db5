/**
 * OutboxRelay against a real Kafka broker and a real Mongo-wire server, with a test model that
 * embeds the chassis' own outboxEntrySchema (string _id, as the services' documents have).
 *
 * What the relay promises is at-least-once delivery, and the tests hold it to exactly that:
 * - the relay hands each entry to the producer once (`handedOver`): concurrent flushes and sweeps
 *   never publish an entry twice;
 * - Kafka then holds every event id at least once and nothing else (`expectDelivered`). A record may
 *   be there twice: the producer retries a request whose answer it lost (a cold broker, a leader
 *   change), and consumers drop the repeat by its event id. Every test publishes under a topic prefix
 *   of its own, so nothing else is on its topics.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { Kafka, logLevel, type Admin, type KafkaMessage } from 'kafkajs';
import { Topics, createEvent, fromKafkaMessage, toKafkaMessage, type AnyCloudEvent, type CloudEvent } from '@solar/contracts';
import {
  OutboxRelay,
  Publisher,
  connectMongo,
  createKafka,
  createLogger,
  createSealer,
  ensureTopics,
  outboxEntryOf,
  outboxEntrySchema,
  parseKeyRing,
  renderedOutboxEntry,
  type OutboxEntry,
  type OutboxRenderer,
} from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, type CollectedMessage, testInfra, testKeyRing, uniqueName } from '@solar/chassis/testing';

const infra = testInfra();
const brokers = infra.kafkaBrokers.split(',');
const logger = createLogger({ service: 'chassis-outbox-test', level: 'silent' });
const sealer = createSealer(parseKeyRing(testKeyRing()));
const TOPICS = [Topics.identityUser, Topics.notificationEmailRequests];

interface Aggregate {
  _id: string;
  name: string;
  outbox: OutboxEntry[];
}

let db: Connection;
let dbUrl: string;
let admin: Admin;
const stoppers: (() => Promise<void>)[] = [];
const cleanups: (() => Promise<void>)[] = [];

const aggregateSchema = new Schema<Aggregate>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { versionKey: false },
);
aggregateSchema.index({ 'outbox.createdAt': 1 });

/** A collection of its own per test, so one test's unflushed documents are not another's sweep. */
async function aggregateModel(connection: Connection = db): Promise<Model<Aggregate>> {
  const name = uniqueName('aggregates');
  const model = connection.model<Aggregate>(name, aggregateSchema, name);
  await model.init();
  return model;
}

beforeAll(async () => {
  dbUrl = mongoUrlFor(infra, uniqueName('chassis-outbox'));
  db = await connectMongo(dbUrl);
  admin = new Kafka({ brokers, clientId: 'chassis-outbox-test-admin', logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
});

afterAll(async () => {
  // Relays and collectors stop in parallel (a collector waits out a fetch when leaving); then producers.
  await Promise.allSettled(stoppers.map((stop) => stop()));
  await Promise.allSettled(cleanups.map((stop) => stop()));
  await admin?.disconnect();
  await db?.dropDatabase();
  await db?.close();
});

/** A topic prefix with its topics created, a publisher on it, and a relay over the test collection. */
async function setup(
  aggregates: Model<Aggregate>,
  options: { clock?: () => Date; settleMs?: number; renderers?: Record<string, OutboxRenderer> } = {},
) {
  const prefix = `${uniqueName('chassis-outbox')}.`;
  const kafka = createKafka({ brokers, clientId: 'chassis-outbox-test', topicPrefix: prefix }, logger);
  await ensureTopics(
    kafka,
    TOPICS.map((topic) => `${prefix}${topic}`),
  );
  const publisher = new Publisher(kafka, prefix, logger);
  cleanups.push(() => publisher.stop());
  const handedOver: string[] = [];
  const sends: number[] = [];
  const send = publisher.send.bind(publisher);
  publisher.send = (records) => {
    sends.push(records.length);
    handedOver.push(...records.map((record) => String(record.headers['ce_id'])));
    return send(records);
  };
  const relay = new OutboxRelay({
    collections: [aggregates.collection],
    publisher,
    sealer,
    logger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.settleMs !== undefined ? { settleMs: options.settleMs } : {}),
    ...(options.renderers ? { renderers: options.renderers } : {}),
  });
  stoppers.push(() => relay.stop());
  const topic = (base: string) => `${prefix}${base}`;
  const total = async () => (await Promise.all(TOPICS.map((base) => recordCount(topic(base))))).reduce((a, b) => a + b, 0);
  return {
    prefix,
    publisher,
    relay,
    topic,
    /** Event ids the relay gave the producer, in order, one per entry per hand-over. */
    handedOver,
    /** How many records each call of the producer's send carried. */
    sends,
    /** Every one of these events is on Kafka at least once, and no other record is. */
    async expectDelivered(ids: string[]): Promise<CollectedMessage[]> {
      const collector = new KafkaCollector(infra.kafkaBrokers, TOPICS.map(topic));
      stoppers.push(() => collector.stop());
      await collector.start();
      for (const id of ids) await collector.waitForCount(({ message }) => eventIdOf(message) === id, 1);
      const records = await total();
      expect(records).toBeGreaterThanOrEqual(ids.length);
      await collector.waitForCount(() => true, records);
      expect(new Set(collector.messages.map(({ message }) => eventIdOf(message)))).toEqual(new Set(ids));
      return collector.messages;
    },
  };
}

const eventIdOf = (message: KafkaMessage) => message.headers?.['ce_id']?.toString();
const idsOf = (list: AnyCloudEvent[]) => list.map((event) => event.id);

async function recordCount(topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
}

function events(userId: string, token: string): [CloudEvent<'UserRegistered'>, CloudEvent<'EmailRequested'>] {
  const email = `${userId}@example.test`;
  return [
    createEvent('UserRegistered', {
      source: '/chassis-test',
      subject: userId,
      data: { userId, email, roles: ['user'], registrationMode: 'open' },
    }),
    createEvent('EmailRequested', {
      source: '/chassis-test',
      subject: userId,
      data: { template: 'verify-email', to: email, userId, variables: { link: `https://app.example/verify-email?token=${token}` } },
    }),
  ];
}

/** Writes one document with its outbox, as a service's repository does, without flushing it. */
async function writeAggregate(
  aggregates: Model<Aggregate>,
  list: AnyCloudEvent[],
  createdAt: Date,
  id = `agg-${randomUUID()}`,
): Promise<string> {
  await aggregates.create({ _id: id, name: 'test', outbox: list.map((event) => outboxEntryOf(event, sealer, createdAt)) });
  return id;
}

/** A connection to the test database that lists the commands sent on it, by name. */
async function watchedConnection(): Promise<{ connection: Connection; commands: string[] }> {
  const connection = await mongoose.createConnection(dbUrl, { monitorCommands: true }).asPromise();
  cleanups.push(() => connection.close());
  const commands: string[] = [];
  connection.getClient().on('commandStarted', (event) => commands.push(event.commandName));
  return { connection, commands };
}

const outboxOf = async (aggregates: Model<Aggregate>, id: string) => (await aggregates.findById(id).lean())?.outbox ?? [];

describe('OutboxRelay', () => {
  it('renders an entry from its document as it stands when published, in order with the events, a tombstone as null', async () => {
    const aggregates = await aggregateModel();
    const renderers: Record<string, OutboxRenderer> = {
      snapshot: (doc, entry) => ({
        topic: entry.topic,
        key: entry.key,
        value: JSON.stringify({ name: doc.name }),
        headers: { ce_id: entry.eventId },
      }),
      gone: (_doc, entry) => ({ topic: entry.topic, key: entry.key, value: null, headers: { ce_id: entry.eventId } }),
    };
    const kafka = await setup(aggregates, { renderers });
    const userId = `user-${randomUUID()}`;
    const [registered] = events(userId, 'unused');
    const target = { topic: Topics.identityUser, key: userId };
    const [snapshot, gone] = [
      renderedOutboxEntry('snapshot', randomUUID(), target, new Date()),
      renderedOutboxEntry('gone', randomUUID(), target, new Date()),
    ];
    const id = `agg-${randomUUID()}`;
    await aggregates.create({ _id: id, name: 'before', outbox: [outboxEntryOf(registered, sealer, new Date()), snapshot, gone] });
    await aggregates.updateOne({ _id: id }, { $set: { name: 'after' } });

    await kafka.relay.flush(aggregates.collection, id);

    expect(await outboxOf(aggregates, id)).toEqual([]);
    const records = await kafka.expectDelivered([registered.id, snapshot.eventId, gone.eventId]);
    expect(records.map(({ message }) => [eventIdOf(message), message.key?.toString()])).toEqual([
      [registered.id, userId],
      [snapshot.eventId, userId],
      [gone.eventId, userId],
    ]);
    expect(records.map(({ message }) => message.value?.toString() ?? null).slice(1)).toEqual([JSON.stringify({ name: 'after' }), null]);
  });

  it('flush publishes every entry once, opened and in CloudEvents binary mode, then empties the outbox', async () => {
    const aggregates = await aggregateModel();
    const kafka = await setup(aggregates);
    const token = `tok_${randomUUID()}`;
    const list = events(`user-${randomUUID()}`, token);
    const id = await writeAggregate(aggregates, list, new Date());

    await kafka.relay.flush(aggregates.collection, id);

    expect(await outboxOf(aggregates, id)).toEqual([]);
    expect(kafka.handedOver).toEqual(idsOf(list));
    const collected = await kafka.expectDelivered(idsOf(list));
    const messages = collected.map(({ message }) => message);
    for (const [event, topic] of [
      [list[0], Topics.identityUser],
      [list[1], Topics.notificationEmailRequests],
    ] as const) {
      const expected = toKafkaMessage(event);
      const record = collected.find(({ message }) => eventIdOf(message) === event.id);
      expect(record?.topic).toBe(kafka.topic(topic));
      const message = record?.message;
      expect(message).toBeDefined();
      expect(message!.key?.toString()).toBe(event.subject);
      expect(message!.value?.toString()).toBe(expected.value);
      const headers = Object.fromEntries(Object.entries(message!.headers ?? {}).map(([k, v]) => [k, v?.toString()]));
      expect(headers).toEqual(expected.headers);
      expect(fromKafkaMessage(message!)).toEqual(event);
    }
    // The secret made it to its (private) topic in clear, which is what the consumer needs.
    expect(messages.some((m) => m.value?.toString().includes(token))).toBe(true);
  });

  it('stores the event value sealed: the document never holds the plaintext link or token', async () => {
    const aggregates = await aggregateModel();
    const token = `tok_${randomUUID()}`;
    const list = events(`user-${randomUUID()}`, token);
    const id = await writeAggregate(aggregates, list, new Date());

    const raw = await aggregates.collection.findOne({ _id: id } as never);
    const stored = raw!['outbox'] as OutboxEntry[];
    expect(stored).toHaveLength(2);
    expect(JSON.stringify(raw)).not.toContain(token);
    expect(JSON.stringify(raw)).not.toContain('verify-email?token');
    for (const [index, entry] of stored.entries()) {
      expect(entry.sealedValue).not.toBe(toKafkaMessage(list[index]!).value);
      expect(sealer.open(entry.sealedValue, `outbox/${entry.eventId}`)).toBe(toKafkaMessage(list[index]!).value);
    }
  });

  // Security review finding 9: someone who can write the database swaps sealed values between entries,
  // say to send one user's verification email (its link) under another event's id and recipient.
  it('refuses to publish entries whose sealed values were swapped in the database', async () => {
    const aggregates = await aggregateModel();
    const kafka = await setup(aggregates);
    const id = await writeAggregate(aggregates, events(`user-${randomUUID()}`, 'swap'), new Date());
    const [first, second] = await outboxOf(aggregates, id);
    await aggregates.collection.updateOne({ _id: id } as never, {
      $set: { 'outbox.0.sealedValue': second!.sealedValue, 'outbox.1.sealedValue': first!.sealedValue },
    });

    await expect(kafka.relay.flush(aggregates.collection, id)).rejects.toThrow();

    expect(kafka.handedOver).toEqual([]);
    expect(await outboxOf(aggregates, id)).toHaveLength(2);
  });

  it('sweep publishes entries older than settleMs that a crash left behind, and leaves younger ones alone', async () => {
    const aggregates = await aggregateModel();
    let now = new Date('2030-06-01T12:00:00Z');
    const kafka = await setup(aggregates, { clock: () => now, settleMs: 5_000 });
    // Written by a "crashed" writer: the documents are there, nobody flushed them.
    const oldEvents = events(`user-${randomUUID()}`, 'old');
    const youngEvents = events(`user-${randomUUID()}`, 'young');
    const old = await writeAggregate(aggregates, oldEvents, new Date(now.getTime() - 10_000));
    const young = await writeAggregate(aggregates, youngEvents, new Date(now.getTime() - 1_000));

    await kafka.relay.sweep();

    expect(await outboxOf(aggregates, old)).toEqual([]);
    expect(await outboxOf(aggregates, young)).toHaveLength(2);
    expect(kafka.handedOver).toEqual(idsOf(oldEvents));

    now = new Date(now.getTime() + 10_000);
    await kafka.relay.sweep();

    expect(await outboxOf(aggregates, young)).toEqual([]);
    expect(kafka.handedOver).toEqual([...idsOf(oldEvents), ...idsOf(youngEvents)]);
    await kafka.expectDelivered([...idsOf(oldEvents), ...idsOf(youngEvents)]);
  });

  it('sweep goes past a document it cannot publish and still sends the ones behind it', async () => {
    const aggregates = await aggregateModel();
    const now = new Date('2030-06-01T12:00:00Z');
    const kafka = await setup(aggregates, { clock: () => now, settleMs: 5_000 });
    const foreignSealer = createSealer(parseKeyRing(testKeyRing().replace(/^test1/, 'retired')));
    const stuck = `agg-${randomUUID()}`;
    await aggregates.create({
      _id: stuck,
      name: 'sealed with a key this relay no longer has',
      outbox: events(`user-${randomUUID()}`, 'stuck').map((event) => outboxEntryOf(event, foreignSealer, new Date(now.getTime() - 20_000))),
    });
    const fineEvents = events(`user-${randomUUID()}`, 'fine');
    const fine = await writeAggregate(aggregates, fineEvents, new Date(now.getTime() - 10_000));

    await kafka.relay.sweep();

    expect(await outboxOf(aggregates, fine)).toEqual([]);
    expect(await outboxOf(aggregates, stuck)).toHaveLength(2);
    expect(kafka.handedOver).toEqual(idsOf(fineEvents));
    await kafka.expectDelivered(idsOf(fineEvents));
  });

  it('publishes the rest of a batch when Kafka refuses one document of it, and leaves that one for later', async () => {
    const aggregates = await aggregateModel();
    const kafka = await setup(aggregates);
    // Past the broker's 1 MB max.message.bytes: refused for good (MESSAGE_TOO_LARGE), not retried.
    const tooLarge = events(`user-${randomUUID()}`, randomBytes(1_200_000).toString('hex'));
    const refused = await writeAggregate(aggregates, tooLarge, new Date(Date.now() - 60_000));
    const lists = Array.from({ length: 3 }, (_, i) => events(`user-${randomUUID()}`, `token-${i}`));
    const ids = await Promise.all(lists.map((list) => writeAggregate(aggregates, list, new Date(Date.now() - 60_000))));

    await kafka.relay.sweep();

    for (const id of ids) expect(await outboxOf(aggregates, id)).toEqual([]);
    expect(await outboxOf(aggregates, refused)).toHaveLength(2);
    // The broker takes or refuses each partition's records apart: the refused document's small
    // UserRegistered lands (and will again, for its consumers to drop), its EmailRequested does not.
    await kafka.expectDelivered([...lists.flatMap(idsOf), tooLarge[0].id]);
  });

  it('sweeps many documents in one batch: one read, one send and one write for all of them', async () => {
    const { connection, commands } = await watchedConnection();
    const aggregates = await aggregateModel(connection);
    const kafka = await setup(aggregates);
    const lists = Array.from({ length: 5 }, (_, i) => events(`user-${randomUUID()}`, `token-${i}`));
    const ids = await Promise.all(lists.map((list) => writeAggregate(aggregates, list, new Date(Date.now() - 60_000))));
    commands.length = 0;

    await kafka.relay.sweep();

    // The sweep's search for pending documents, then one read of them all; no read per document.
    expect(commands.filter((name) => name === 'find')).toHaveLength(2);
    expect(kafka.sends).toEqual([10]);
    expect(commands.filter((name) => name === 'update')).toHaveLength(1);
    for (const id of ids) expect(await outboxOf(aggregates, id)).toEqual([]);
    await kafka.expectDelivered(lists.flatMap(idsOf));
  });

  it('publishes what the writer of a new document hands over without reading it back, flushes of one turn together', async () => {
    const { connection, commands } = await watchedConnection();
    const aggregates = await aggregateModel(connection);
    const kafka = await setup(aggregates);
    const written = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const list = events(`user-${randomUUID()}`, 'unused');
        const entries = list.map((event) => outboxEntryOf(event, sealer, new Date()));
        const id = `agg-${randomUUID()}`;
        await aggregates.create({ _id: id, name: 'test', outbox: entries });
        return { id, list, entries };
      }),
    );
    commands.length = 0;

    await Promise.all(written.map(({ id, entries }) => kafka.relay.flush(aggregates.collection, id, entries)));

    expect(commands).toEqual(['update']);
    expect(kafka.sends).toEqual([8]);
    for (const { id } of written) expect(await outboxOf(aggregates, id)).toEqual([]);
    await kafka.expectDelivered(written.flatMap(({ list }) => idsOf(list)));
  });

  it('concurrent flushes (and a sweep) of the same document publish each entry once', async () => {
    const aggregates = await aggregateModel();
    let now = new Date('2030-06-01T12:00:00Z');
    const kafka = await setup(aggregates, { clock: () => now, settleMs: 0 });
    const list = events(`user-${randomUUID()}`, 'race');
    const id = await writeAggregate(aggregates, list, new Date(now.getTime() - 1));
    now = new Date(now.getTime() + 1_000);

    await Promise.all([
      ...Array.from({ length: 10 }, () => kafka.relay.flush(aggregates.collection, id)),
      kafka.relay.sweep(),
      ...Array.from({ length: 10 }, () => kafka.relay.flush(aggregates.collection, id)),
    ]);

    expect(await outboxOf(aggregates, id)).toEqual([]);
    expect(kafka.handedOver).toEqual(idsOf(list));
    await kafka.expectDelivered(idsOf(list));
  });

  it('flush rejects while Kafka is unreachable and leaves the entries in the document for a later flush', async () => {
    const aggregates = await aggregateModel();
    const unreachable = new Kafka({
      brokers: ['127.0.0.1:1'],
      clientId: 'chassis-outbox-test-unreachable',
      connectionTimeout: 300,
      retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 },
      logLevel: logLevel.NOTHING,
    });
    const deadPublisher = new Publisher(unreachable, `${uniqueName('chassis-outbox-dead')}.`, logger);
    cleanups.push(() => deadPublisher.stop());
    const deadRelay = new OutboxRelay({ collections: [aggregates.collection], publisher: deadPublisher, sealer, logger });
    const list = events(`user-${randomUUID()}`, 'offline');
    const id = await writeAggregate(aggregates, list, new Date());

    await expect(deadRelay.flush(aggregates.collection, id)).rejects.toThrow();
    const left = await outboxOf(aggregates, id);
    expect(left.map((entry) => entry.eventId)).toEqual(list.map((event) => event.id));

    // Once Kafka is back (here: a relay with a working publisher), the same entries are handed over
    // once more and reach the topics (at least once: the first send to a cold broker may be retried).
    const kafka = await setup(aggregates);
    await kafka.relay.flush(aggregates.collection, id);
    expect(await outboxOf(aggregates, id)).toEqual([]);
    expect(kafka.handedOver).toEqual(idsOf(list));
    await kafka.expectDelivered(idsOf(list));
  });
});
