import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics, createEvent, fromKafkaMessage, isEvent, toKafkaMessage, type CloudEvent } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, Mailpit, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';

/**
 * Security review finding 3, its notification half: notification mailed any http(s) link an
 * EmailRequested carried. Whoever can write to the email-requests topic (a compromised service, a
 * leaked Kafka credential) could have it send a phishing link, from our own address, with our
 * branding, to any user. Links must now be on the web app's origin (APP_URL, here
 * https://app.solar.test); others end the request as a permanent `rendering_failed`, unsent.
 *
 * The requests here are sealed with the stack's EMAIL_LINK_KEYS, as identity's would be, so the
 * origin rule is what refuses them: it still holds should a key holder (identity with a wrong
 * APP_URL) ask for a foreign link. Links that are not sealed are sealed-email-links.test.ts's.
 */
const stack = new TestStack('sec-email-links');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'sec-email-links', logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const requests = stack.topic(Topics.notificationEmailRequests);
const deliveries = stack.topic(Topics.notificationDeliveries);
const collector = new KafkaCollector(stack.infra.kafkaBrokers, [deliveries]);
const expiresAt = () => new Date(Date.now() + 3_600_000).toISOString();

function verifyEmail(link: string): CloudEvent<'EmailRequested'> {
  return stack.sealLinks(
    createEvent('EmailRequested', {
      source: '/identity',
      subject: randomUUID(),
      data: {
        template: 'verify-email',
        to: `${randomUUID().slice(0, 8)}.${stack.name}@example.test`.toLowerCase(),
        variables: { link, expiresAt: expiresAt() },
      },
    }),
  );
}

async function outcomeOf(request: CloudEvent<'EmailRequested'>) {
  const [message] = await collector.waitForCount((m) => {
    const event = fromKafkaMessage(m.message);
    return (isEvent(event, 'EmailSent') || isEvent(event, 'EmailFailed')) && event.data.emailRequestId === request.id;
  }, 1);
  return fromKafkaMessage(message!.message);
}

beforeAll(async () => {
  await ensureTopics(kafka, [requests, deliveries]);
  await producer.connect();
  await collector.start();
  await stack.startNotification();
});

afterAll(async () => {
  await stack.stop();
  await collector.stop();
  await producer.disconnect();
});

it.each([
  ['another host', 'https://app.solar.test.evil.example/verify-email?token=x'],
  ['another scheme', 'http://app.solar.test/verify-email?token=x'],
  ['credentials before the host', 'https://app.solar.test@evil.example/verify-email?token=x'],
])('refuses to mail a link to %s, unsent, with a code', async (_label, link) => {
  const request = verifyEmail(link);
  await producer.send({ topic: requests, messages: [toKafkaMessage(request)] });
  const outcome = await outcomeOf(request);
  expect(outcome.type).toBe('com.solar-intelligence.notification.EmailFailed.v1');
  expect(outcome.data).toMatchObject({ reason: 'rendering_failed', permanent: true, attempts: 0 });
  expect(outcome.data).toMatchObject({ detail: expect.stringContaining('variable "link" is not a link to the web app') });
  expect(JSON.stringify(outcome.data)).not.toContain('evil');
  expect(await mailpit.search(`to:"${request.data.to}"`)).toHaveLength(0);
});

it('still mails a link on the web app', async () => {
  const request = verifyEmail('https://app.solar.test/verify-email?token=fine');
  await producer.send({ topic: requests, messages: [toKafkaMessage(request)] });
  expect((await outcomeOf(request)).type).toBe('com.solar-intelligence.notification.EmailSent.v1');
  await waitFor(async () => ((await mailpit.search(`to:"${request.data.to}"`)).length === 1 ? true : undefined), {
    what: 'the email on the web app',
  });
});
