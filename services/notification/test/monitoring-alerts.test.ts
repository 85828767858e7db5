/**
 * The delivery alert end to end: EmailRequested on Kafka → notification (real Kafka, Mongo-wire
 * server, SMTP through a proxy to Mailpit that the test cuts) with tiny alert thresholds →
 * EmailDeliveryDegraded on notification.deliveries.v1 and a POST to ALERT_WEBHOOK_URL; then the
 * proxy comes back, the failures slide out of the window, and EmailDeliveryRecovered follows.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, Partitioners, type Producer } from 'kafkajs';
import mongoose from 'mongoose';
import { Topics, createEvent, fromKafkaMessage, isEvent, registry, toKafkaMessage, type CloudEvent } from '@solar/contracts';
import { ensureTopics, type Service } from '@solar/chassis';
import { KafkaCollector, Mailpit, mongoUrlFor, testInfra, uniqueName, waitFor } from '@solar/chassis/testing';
import { createNotificationService } from '../src/main';
import { notificationTestEnv, specFetch } from './notification-test-env';
import { AlertWebhookRecorder, SwitchableSmtpProxy } from './support/monitoring-fakes';

const infra = testInfra();
const name = uniqueName('monitoring-alerts');
const prefix = `${name}.`;
const topics = { requests: `${prefix}${Topics.notificationEmailRequests}`, deliveries: `${prefix}${Topics.notificationDeliveries}` };

const proxy = new SwitchableSmtpProxy(infra.smtpHost, Number(infra.smtpPort));
const webhook = new AlertWebhookRecorder();
const mailpit = new Mailpit(infra.mailpitUrl);
const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'monitoring-alerts-test', logLevel: logLevel.NOTHING });
const collector = new KafkaCollector(infra.kafkaBrokers, [topics.deliveries]);
let producer: Producer;
let service: Service;
let baseUrl: string;

beforeAll(async () => {
  const smtpPort = await proxy.start();
  await webhook.start();
  await ensureTopics(kafka, Object.values(topics));
  service = createNotificationService({
    ...notificationTestEnv(name),
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    PROVIDER_TIMEOUT: '2s',
    DELIVERY_RETRY_ATTEMPTS: '2',
    DELIVERY_RETRY_BASE: '10ms',
    DELIVERY_RETRY_MAX: '50ms',
    // Two attempts are enough evidence here, and failures leave the window within seconds.
    EMAIL_ALERT_WINDOW: '6s',
    EMAIL_ALERT_MIN_ATTEMPTS: '2',
    EMAIL_ALERT_SUCCESS_THRESHOLD: '0.95',
    ALERT_WEBHOOK_URL: webhook.url,
    EMAIL_HEALTH_CACHE: '100ms',
  });
  baseUrl = `http://127.0.0.1:${(await service.start()).port}`;
  await collector.start();
  producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
});

afterAll(async () => {
  await producer?.disconnect();
  await collector.stop();
  await service?.stop();
  await webhook.stop();
  await proxy.stop();
  const db = await mongoose.createConnection(mongoUrlFor(infra, `${name}-notification`)).asPromise();
  await db.dropDatabase();
  await db.close();
});

function request(label: string): CloudEvent<'EmailRequested'> {
  return createEvent('EmailRequested', {
    source: '/monitoring-alerts-test',
    subject: `user-${randomUUID()}`,
    data: { template: 'password-changed', to: `${label}.${name}@example.test`.toLowerCase(), variables: {} },
  });
}

async function publish(event: CloudEvent<'EmailRequested'>): Promise<void> {
  await producer.send({ topic: topics.requests, messages: [toKafkaMessage(event)] });
}

function published<K extends 'EmailDeliveryDegraded' | 'EmailDeliveryRecovered'>(name: K): CloudEvent<K>[] {
  const found: CloudEvent<K>[] = [];
  for (const { message } of collector.messages) {
    if (message.headers?.ce_type?.toString() !== registry[name].type) continue;
    const event = fromKafkaMessage(message);
    if (isEvent(event, name)) found.push(event);
  }
  return found;
}

const health = async () => {
  const response = await specFetch(baseUrl)(`${baseUrl}/health/email`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('delivery alerts', () => {
  it('raise EmailDeliveryDegraded and a webhook POST when SMTP fails, and EmailDeliveryRecovered once it is back', async () => {
    // Outage: both attempts of the request fail, 0% success on 2 attempts.
    await publish(request('during-outage'));
    const [degraded] = await waitFor(
      () => (published('EmailDeliveryDegraded').length > 0 ? published('EmailDeliveryDegraded') : undefined),
      {
        timeoutMs: 30_000,
        what: 'EmailDeliveryDegraded',
      },
    );
    expect(degraded!.subject).toBe('smtp');
    expect(degraded!.source).toBe('/notification');
    expect(degraded!.data).toMatchObject({ provider: 'smtp', attempted: 2, failed: 2, failureRate: 1, threshold: 0.05 });
    const alert = await waitFor(() => webhook.received.find((r) => r.body.type === 'EmailDeliveryDegraded'), { what: 'the webhook POST' });
    expect(alert.body).toMatchObject({
      id: degraded!.id,
      provider: 'smtp',
      attempted: 2,
      failed: 2,
      text: expect.stringContaining('degraded'),
    });
    expect(await health()).toMatchObject({ status: 503, body: { provider: 'smtp', reachable: false, degraded: true } });

    // More failures in the same episode raise nothing new.
    await publish(request('still-down'));
    await waitFor(() => (published('EmailDeliveryDegraded').length === 1 && webhook.received.length === 1 ? true : undefined));

    // Back: new mail goes out, the failures slide out of the 6 s window, and the episode ends once (with
    // no failure left in the window it ends even if the new mail has slid out too: attempted may be 0).
    proxy.up = true;
    const after = request('after-outage');
    await publish(after);
    await waitFor(async () => ((await mailpit.search(`to:"${after.data.to}"`)).length > 0 ? true : undefined), {
      what: 'the email after the outage',
    });
    const [recovered] = await waitFor(
      () => (published('EmailDeliveryRecovered').length > 0 ? published('EmailDeliveryRecovered') : undefined),
      { timeoutMs: 30_000, what: 'EmailDeliveryRecovered' },
    );
    expect(recovered!.data).toMatchObject({ provider: 'smtp', failed: 0, failureRate: 0, threshold: 0.05 });
    await waitFor(() => webhook.received.find((r) => r.body.type === 'EmailDeliveryRecovered'), { what: 'the recovery POST' });
    expect(await health()).toMatchObject({ status: 200, body: { reachable: true, degraded: false } });

    expect(published('EmailDeliveryDegraded')).toHaveLength(1);
    expect(published('EmailDeliveryRecovered')).toHaveLength(1);
    expect(webhook.received.map((r) => r.body.type)).toEqual(['EmailDeliveryDegraded', 'EmailDeliveryRecovered']);
  });
});
