/**
 * Scenario 5: poison messages on a topic notification consumes, in one partition ahead of a good one.
 * Each lands on the group's dead-letter topic with its original bytes and the reason in its headers,
 * and the consumer goes on to the good message behind them (its email arrives).
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { createEvent, registry, toKafkaMessage, Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { uniqueName } from '@solar/chassis/testing';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, expectOneMailEach, readTopic, report } from './support/chaos';

assertChaosProfile();
const stack = new TestStack('chaos-poison', { processes: true });
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'chaos', logLevel: logLevel.NOTHING });
const topic = stack.topic(Topics.notificationEmailRequests);
const deadLetters = stack.topic('notification.dlq');
const domain = `${stack.name}.example.test`.toLowerCase();
const KEY = 'poisoned-partition';

beforeAll(async () => {
  await ensureTopics(kafka, [topic, stack.topic(Topics.identityUser)]);
  await stack.startNotification();
});

afterAll(() => stack.stop());

function envelope(type: string): IHeaders {
  return {
    ce_specversion: '1.0',
    ce_id: randomUUID(),
    ce_source: '/chaos',
    ce_type: type,
    ce_time: new Date().toISOString(),
    ce_subject: KEY,
    'content-type': 'application/json',
  };
}

const emailRequested = registry.EmailRequested.type;
const poisons: { name: string; value: Buffer; headers: IHeaders; code: string }[] = [
  {
    name: 'not a CloudEvent (bytes, no headers)',
    value: Buffer.from([0x00, 0xff, 0x13, 0x37, 0x7b]),
    headers: {},
    code: 'invalid_headers',
  },
  {
    name: 'a CloudEvent whose body is not JSON',
    value: Buffer.from('{"template": "verify-'),
    headers: envelope(emailRequested),
    code: 'invalid_json',
  },
  {
    name: 'a CloudEvent that breaks its schema',
    value: Buffer.from(JSON.stringify({ template: 42, to: 'not an address' })),
    headers: envelope(emailRequested),
    code: 'invalid_data',
  },
  {
    name: 'an event of an unknown type',
    value: Buffer.from(JSON.stringify({ hello: 'world' })),
    headers: envelope('com.solar-intelligence.identity.Nonsense.v1'),
    code: 'unknown_event_type',
  },
];

it('parks each poison message on the dead-letter topic with its bytes and reason, and delivers the good one behind them', async () => {
  const to = `after-the-poison@${domain}`;
  // Sealed as identity's outbox seals links: notification refuses a link that arrives in clear.
  const good = toKafkaMessage(
    stack.sealLinks(
      createEvent('EmailRequested', {
        source: '/identity',
        subject: KEY,
        data: {
          template: 'verify-email',
          to,
          locale: 'en',
          variables: { link: 'https://app.solar.test/verify-email?token=chaos', expiresAt: new Date(Date.now() + 3_600_000).toISOString() },
        },
      }),
    ),
  );
  const producer = kafka.producer();
  await producer.connect();
  // One partition, in this order: the good message waits behind every poison.
  await producer.send({
    topic,
    messages: [...poisons.map(({ value, headers }) => ({ key: KEY, value, headers, partition: 0 })), { ...good, partition: 0 }],
  });
  await producer.disconnect();

  await expectOneMailEach(stack.infra.mailpitUrl, domain, [to]);
  const parked = await readTopic(stack.infra.kafkaBrokers, deadLetters, (seen) => seen.length >= poisons.length, {
    group: uniqueName('chaos-dlq-reader'),
    timeoutMs: 20_000,
  });
  const missing = poisons.filter((poison) => !parked.some((message) => message.value?.equals(poison.value)));
  expect(missing.map((poison) => poison.name)).toEqual([]);
  for (const poison of poisons) {
    const message = parked.find((m) => m.value?.equals(poison.value))!;
    expect({
      poison: poison.name,
      code: message.headers?.['dlq-error-code']?.toString(),
      topic: message.headers?.['dlq-original-topic']?.toString(),
    }).toEqual({
      poison: poison.name,
      code: poison.code,
      topic,
    });
    expect(message.headers?.['dlq-error-message']?.toString()).toBeTruthy();
  }
  expect(parked).toHaveLength(poisons.length);
  report(
    'poison messages',
    `${poisons.length} poison messages sent, ${parked.length} on ${deadLetters.slice(stack.topicPrefix.length)} with their original bytes and reason ` +
      `(${poisons.map((p) => p.code).join(', ')}), the good message behind them delivered: 1 email`,
  );
});
