import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEvent, toKafkaMessage, topicOf, Topics, type AnyCloudEvent, type EventInput } from '@solar/contracts';
import { ensureTopics, type Env, type Service } from '@solar/chassis';
import { KafkaCollector, Mailpit, testInfra, uniqueName, waitFor, waitForCommitted, type RecordPosition } from '@solar/chassis/testing';
import { createNotificationService } from '../src/main';
import { notificationTestEnv } from './notification-test-env';

/**
 * One notification service on the shared test servers, with a database, topic prefix and consumer
 * group of its own, a producer for the events it consumes, and a collector of what it publishes.
 */
export async function startNotification(label: string, extra: Env = {}) {
  const infra = testInfra();
  const name = uniqueName(label);
  const env = notificationTestEnv(name, {
    EMAIL_PROVIDER: 'smtp',
    SMTP_HOST: infra.smtpHost,
    SMTP_PORT: infra.smtpPort,
    ...extra,
  });
  const service: Service = createNotificationService(env);
  const { port, metricsPort } = (await service.start()) as { port: number; metricsPort: number };
  const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'test-producer', logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  // The service creates its producer topics on first publish; the collector subscribes before that.
  await ensureTopics(kafka, [`${name}.${Topics.notificationDeliveries}`]);
  const deliveries = new KafkaCollector(infra.kafkaBrokers, [`${name}.${Topics.notificationDeliveries}`]);
  await deliveries.start();
  const db: Connection = await mongoose.createConnection(env.MONGO_URL as string).asPromise();

  return {
    env,
    url: `http://127.0.0.1:${port}`,
    metricsUrl: `http://127.0.0.1:${metricsPort}/metrics`,
    mailpit: new Mailpit(infra.mailpitUrl),
    db,
    deliveries,
    /** Publishes an event to the service and says where it landed. */
    async publish(event: AnyCloudEvent): Promise<RecordPosition> {
      const topic = `${name}.${topicOf(event)}`;
      const [landed] = await producer.send({ topic, messages: [toKafkaMessage(event)] });
      return { topic, partition: landed!.partition, offset: Number(landed!.baseOffset) };
    },
    /** Waits until the service's consumer group has handled the records, whatever it did with them. */
    consumed(...records: RecordPosition[]) {
      return waitForCommitted(infra.kafkaBrokers, `${name}.notification`, records);
    },
    /** EmailFailed / EmailSent events of one request, as published on notification.deliveries.v1. */
    async deliveryEvents(emailRequestId: string, count = 1) {
      const found = await deliveries.waitForCount(
        (m) => JSON.parse(m.message.value?.toString() ?? '{}').emailRequestId === emailRequestId,
        count,
      );
      return found.map((m) => ({
        type: m.message.headers?.ce_type?.toString(),
        data: JSON.parse(m.message.value?.toString() ?? '{}') as Record<string, unknown>,
      }));
    },
    async stop() {
      await deliveries.stop();
      await producer.disconnect();
      await db.close();
      await service.stop();
    },
  };
}

export type RunningNotification = Awaited<ReturnType<typeof startNotification>>;

export function emailRequested(data: EventInput<'EmailRequested'>) {
  return createEvent('EmailRequested', { source: '/identity', subject: data.userId ?? data.to, data });
}

export function userDeleted(data: EventInput<'UserDeleted'>) {
  return createEvent('UserDeleted', { source: '/identity', subject: data.userId, data });
}

export const testAddress = (label: string) => `${uniqueName(label).toLowerCase()}@example.test`;

/** Waits a moment for mail that must not come, then answers what Mailpit holds for the address. */
export async function mailTo(mailpit: Mailpit, address: string) {
  return mailpit.search(`to:"${address}"`);
}

export async function waitForMail(mailpit: Mailpit, address: string, count = 1) {
  return waitFor(
    async () => {
      const messages = await mailpit.search(`to:"${address}"`);
      return messages.length >= count ? messages : undefined;
    },
    { timeoutMs: 30_000, what: `${count} email(s) to ${address}` },
  );
}
