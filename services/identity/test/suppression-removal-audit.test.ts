/**
 * Notification's EmailSuppressionRemoved, through real Kafka, lands in the audit log of the account
 * holding the address, naming the admin, once however often it is delivered; an address no account
 * holds records nothing.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { Topics, createEvent, toKafkaMessage, type AnyCloudEvent } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { waitFor } from '@solar/chassis/testing';
import { AuthHarness } from './auth-harness';

const h = new AuthHarness('identity-suppression-audit');
let producer: Producer;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: h.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [h.topic(Topics.notificationDeliveries)]);
  producer = kafka.producer();
  await producer.connect();
  await h.start();
});

afterAll(async () => {
  await producer?.disconnect();
  await h.stop();
});

const removed = (email: string) =>
  createEvent('EmailSuppressionRemoved', {
    source: '/notification',
    subject: email,
    data: { email, removedBy: 'admin-7', suppressedFor: 'complaint' },
  }) as AnyCloudEvent;

/** Publishes as notification would, and waits until identity's consumer has handled it. */
async function deliver(event: AnyCloudEvent): Promise<void> {
  await producer.send({ topic: h.topic(Topics.notificationDeliveries), messages: [toKafkaMessage(event)] });
  await waitFor(
    async () =>
      (await h.db.collection('processed_events').findOne({ _id: `${h.topic('identity')}:${event.id}` as never })) ? true : undefined,
    { timeoutMs: 30_000, what: `identity to handle event ${event.id}` },
  );
}

it("records the removal in the account's audit log, naming the admin, once", async () => {
  const account = await h.registered('suppressed');
  const event = removed(account.email);
  await deliver(event);
  // A redelivery (the same ce id) is handled as new when the processed mark is gone, and still records once.
  await h.db.collection('processed_events').deleteOne({ _id: `${h.topic('identity')}:${event.id}` as never });
  await deliver(event);

  const entries = await h.db.collection('audit_log').find({ userId: account.userId, action: 'email_suppression_removed' }).toArray();
  expect(entries).toHaveLength(1);
  expect(entries[0]).toMatchObject({
    outcome: 'success',
    details: { adminId: 'admin-7', email: account.email, suppressedFor: 'complaint' },
  });

  const tokens = await h.signedIn(account.email, account.password);
  const own = (await (await h.request('/users/me/audit-log', { token: tokens.access_token })).json()) as { items: { action: string }[] };
  expect(own.items.map((item) => item.action)).toContain('email_suppression_removed');
});

it('records nothing for an address no account holds', async () => {
  const event = removed(h.address('nobody'));
  await deliver(event);
  expect(
    await h.db.collection('audit_log').countDocuments({ action: 'email_suppression_removed', 'details.email': h.address('nobody') }),
  ).toBe(0);
});
