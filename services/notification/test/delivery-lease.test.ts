/**
 * The delivery claim's lease against the Mongo-wire server, with the real DeliveryRepository (one per
 * worker, as two replicas have) and deliverEmail: a claim is taken over only once its lease has run
 * out, and a worker whose claim was taken over while it waited to retry sends no more, so one request
 * is sent once. The clock is the test's; waits are hooks that move it, never real sleeps.
 */
import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { Kafka, logLevel } from 'kafkajs';
import { Topics, type EventData } from '@solar/contracts';
import { OutboxRelay, OutboxWriter, Publisher, connectMongo, createLogger, createSealer, parseKeyRing } from '@solar/chassis';
import { mongoUrlFor, testInfra, testKeyRing, uniqueName } from '@solar/chassis/testing';
import { deliverEmail, type DeliveryOutcome } from '../src/delivery/deliver-email.use-case';
import { DeliveryRepository } from '../src/delivery/delivery.repository';
import { deliveryModel, type DeliveryDocument } from '../src/delivery/delivery.model';
import type { EmailProvider } from '../src/providers/email-provider';
import { failureFromHttp } from '../src/providers/send-failure';
import { scriptedProvider } from './support/scripted-provider';

const infra = testInfra();
const name = uniqueName('delivery-lease');
const logger = createLogger({ service: 'notification-lease-test', level: 'silent' });
const sealer = createSealer(parseKeyRing(testKeyRing()));
const LEASE_MS = 60_000;
const TIMEOUT_MS = 10_000;

let db: Connection;
let deliveries: Model<DeliveryDocument>;
let publisher: Publisher;
let relay: OutboxRelay;
let now = new Date('2026-11-28T12:00:00Z');
const clock = () => now;

beforeAll(async () => {
  db = await connectMongo(mongoUrlFor(infra, name));
  deliveries = deliveryModel(db);
  await deliveries.init();
  const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), clientId: name, logLevel: logLevel.NOTHING });
  publisher = new Publisher(kafka, `${name}.`, logger, [Topics.notificationDeliveries]);
  relay = new OutboxRelay({ collections: [deliveries.collection], publisher, sealer, logger, clock });
});

afterAll(async () => {
  await relay.stop();
  await publisher.stop();
  await db.dropDatabase();
  await db.close();
});

/** One replica's worker: its own repository over the shared collection, the test's clock. */
function worker(sender: EmailProvider, sleep: (ms: number) => Promise<void> = async () => {}) {
  return deliverEmail({
    deliveries: new DeliveryRepository(deliveries, new OutboxWriter(relay, sealer, clock), sealer),
    provider: sender,
    brand: { name: 'Solar Test' },
    linkOrigin: 'https://app.solar.test',
    linkSealer: sealer,
    from: 'Solar <no-reply@solar.test>',
    messageIdDomain: 'solar.test',
    leaseMs: LEASE_MS,
    retry: { attempts: 3, initialMs: 100, maxMs: 250 },
    sendTimeoutMs: TIMEOUT_MS,
    clock,
    random: () => 0.5,
    sleep,
  });
}

function request() {
  const data: EventData<'EmailRequested'> = {
    template: 'password-changed',
    to: 'ada@example.test',
    locale: 'en',
    variables: {},
    sealedVariables: {},
  };
  return { eventId: randomUUID(), data };
}

const unavailable = () => failureFromHttp(503, '');
const recordOf = (eventId: string) => deliveries.findById(eventId).lean();

describe('the delivery lease in Mongo', () => {
  it('is not taken over while it holds: a second worker leaves the delivery to the first', async () => {
    const email = request();
    const first = scriptedProvider([unavailable(), 'ok']);
    const second = scriptedProvider(['ok']);
    let secondOutcome: DeliveryOutcome | undefined;
    const firstOutcome = await worker(first, async (ms) => {
      // Within the lease the first worker renewed before this wait.
      now = new Date(now.getTime() + ms);
      secondOutcome = await worker(second)(email);
    })(email);

    expect(secondOutcome).toBe('already_handled');
    expect(second.sent).toHaveLength(0);
    expect(firstOutcome).toBe('sent');
    expect(first.sent).toHaveLength(2);
    expect(await recordOf(email.eventId)).toMatchObject({ status: 'sent', attempts: 1, providerMessageId: 'sg-2' });
  });

  it('is taken over once it has run out, and the worker that lost it sends no more', async () => {
    const email = request();
    const first = scriptedProvider([unavailable(), 'ok']);
    const second = scriptedProvider(['ok']);
    let secondOutcome: DeliveryOutcome | undefined;
    const firstOutcome = await worker(first, async (ms) => {
      // The first worker stalls past the lease it renewed for this wait; the second takes over and sends.
      now = new Date(now.getTime() + ms + TIMEOUT_MS + LEASE_MS + 1);
      secondOutcome = await worker(second)(email);
    })(email);

    expect(secondOutcome).toBe('sent');
    expect(second.sent).toHaveLength(1);
    expect(firstOutcome).toBe('already_handled');
    // Its one failed attempt before the stall, and nothing after: the email went out once.
    expect(first.sent).toHaveLength(1);
    expect(await recordOf(email.eventId)).toMatchObject({ status: 'sent', attempts: 2, providerMessageId: 'sg-1' });
  });

  it('fences the worker that lost it while the new owner is still sending', async () => {
    const email = request();
    const first = scriptedProvider([unavailable(), 'ok']);
    const secondReplica = new DeliveryRepository(deliveries, new OutboxWriter(relay, sealer, clock), sealer);
    let taken: Awaited<ReturnType<DeliveryRepository['claim']>> = null;
    const firstOutcome = await worker(first, async (ms) => {
      now = new Date(now.getTime() + ms + TIMEOUT_MS + LEASE_MS + 1);
      // Taken over and not finished: only the attempt number tells the two claims apart.
      taken = await secondReplica.claim(
        { eventId: email.eventId, template: 'password-changed', to: 'ada@example.test', userId: null, payload: '{}', messageId: 'x' },
        LEASE_MS,
      );
    })(email);

    expect(taken).toEqual({ eventId: email.eventId, attempt: 2 });
    expect(firstOutcome).toBe('already_handled');
    expect(first.sent).toHaveLength(1);
    expect(await recordOf(email.eventId)).toMatchObject({ status: 'sending', attempts: 2 });
  });
});
