import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import {
  createEvent,
  openApiDocument,
  fromKafkaMessage,
  toKafkaMessage,
  topicOf,
  Topics,
  type AnyCloudEvent,
  type EventInput,
  type EventType,
} from '@solar/contracts';
import { ensureTopics, type Env } from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, startTokenIssuer, testInfra, uniqueName, validatingFetch } from '@solar/chassis/testing';
import { createLifecycleService, type LifecycleService } from '../../src/main';

/** The public API's spec, against which every answer of lifecycle's admin routes is checked. */
const spec = openApiDocument();

/**
 * Lifecycle on the shared test servers with a database, topic prefix and consumer group of its own;
 * a producer standing in for identity and notification, and a collector of what lifecycle publishes.
 * Instances can be stopped and started again on the same database, as a restart would.
 */
export async function lifecycleHarness(label: string, extra: Env = {}) {
  const infra = testInfra();
  const name = uniqueName(label);
  const issuer = await startTokenIssuer();
  const env: Env = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'error',
    HOST: '127.0.0.1',
    PORT: '0',
    KAFKA_BROKERS: infra.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: `${name}.`,
    MONGO_URL: mongoUrlFor(infra, `${name}-lifecycle`),
    IDENTITY_JWKS_URL: issuer.jwksUrl,
    JOBS_PROCESS_EVERY: '500ms',
    JOBS_RETRY_DELAY: '1s',
    SHUTDOWN_TIMEOUT: '5s',
    ...extra,
  };
  const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'test-producer', logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const lifecycleTopic = `${name}.${Topics.lifecycle}`;
  await ensureTopics(kafka, [lifecycleTopic, `${name}.${Topics.identityUser}`, `${name}.${Topics.notificationDeliveries}`]);
  const published = new KafkaCollector(infra.kafkaBrokers, [lifecycleTopic]);
  await published.start();
  const db: Connection = await mongoose.createConnection(env.MONGO_URL as string).asPromise();
  /** Moves lifecycle's clock (not Agenda's) forward, for the sweep and the reports. */
  let clockOffsetMs = 0;
  let running: { service: LifecycleService; url: string; fetch: typeof fetch } | undefined;

  const harness = {
    env,
    db,
    issuer,
    get url() {
      if (!running) throw new Error('lifecycle is not running');
      return running.url;
    },
    /** fetch that fails the test on an answer of lifecycle's API the OpenAPI document does not describe. */
    get fetch(): typeof fetch {
      if (!running) throw new Error('lifecycle is not running');
      return running.fetch;
    },
    get service() {
      if (!running) throw new Error('lifecycle is not running');
      return running.service;
    },
    setClock(at: Date) {
      clockOffsetMs = at.getTime() - Date.now();
    },
    async start(more: Env = {}) {
      const service = createLifecycleService({ ...env, ...more }, { clock: () => new Date(Date.now() + clockOffsetMs) });
      const { port } = await service.start();
      const url = `http://127.0.0.1:${port}`;
      running = { service, url, fetch: validatingFetch(spec, url) };
      return harness;
    },
    async stopService() {
      await running?.service.stop();
      running = undefined;
    },
    async publish(...events: AnyCloudEvent[]) {
      for (const event of events) await producer.send({ topic: `${name}.${topicOf(event)}`, messages: [toKafkaMessage(event)] });
    },
    /** Events of one type lifecycle published, read back as consumers read them. */
    eventsOf<K extends EventType>(type: K) {
      return published.messages
        .map(({ message }) => fromKafkaMessage({ key: message.key, value: message.value, headers: message.headers ?? {} }))
        .filter((event): event is Extract<AnyCloudEvent, { type: `com.solar-intelligence.${string}.${K}.v1` }> =>
          event.type.endsWith(`.${type}.v1`),
        );
    },
    async waitForEvents<K extends EventType>(type: K, predicate: (data: Record<string, unknown>) => boolean, count = 1) {
      await published.waitForCount((m) => {
        const event = fromKafkaMessage({ key: m.message.key, value: m.message.value, headers: m.message.headers ?? {} });
        return event.type.endsWith(`.${type}.v1`) && predicate(event.data);
      }, count);
      return harness.eventsOf(type).filter((event) => predicate(event.data as Record<string, unknown>));
    },
    async stop() {
      await harness.stopService();
      await published.stop();
      await producer.disconnect();
      await db.close();
      await issuer.stop();
    },
  };
  return harness;
}

export type LifecycleHarness = Awaited<ReturnType<typeof lifecycleHarness>>;

export function identityEvent<K extends 'DeletionRequested' | 'DeletionCancelled' | 'UserDeleted' | 'UserRegistered' | 'EmailVerified'>(
  name: K,
  data: EventInput<K>,
  options: { id?: string; time?: Date } = {},
) {
  return createEvent(name, { source: '/identity', subject: (data as { userId: string }).userId, data, ...options });
}
