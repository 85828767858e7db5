/**
 * Security review finding 3, its reading half: `EmailRequested` carried the verification, reset and
 * invite links, tokens included, in clear on `notification.email-requests.v1`, so whoever could read
 * the topic could take over accounts with the reset links. Identity now seals every link with
 * EMAIL_LINK_KEYS, a key only it and notification hold, bound to the request's template, recipient
 * and variable; notification refuses a link that arrives in clear or does not open. The attacks,
 * against the real services through the gateway, with the raw records read off the topic.
 */
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Topics, createEvent, fromKafkaMessage, isEvent, registry, toKafkaMessage, type CloudEvent } from '@solar/contracts';
import { createSealer, ensureTopics, parseKeyRing, sealEmailRequest } from '@solar/chassis';
import { KafkaCollector, Mailpit, testKeyRing, waitFor, type CollectedMessage, type MailpitMessage } from '@solar/chassis/testing';
import { TestStack } from '../support/stack';
import { apiClient, expectJson } from '../support/api-client';

const stack = new TestStack('sec-sealed-links');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'sec-sealed-links', logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const requests = stack.topic(Topics.notificationEmailRequests);
const deliveries = stack.topic(Topics.notificationDeliveries);
const collector = new KafkaCollector(stack.infra.kafkaBrokers, [requests, deliveries]);
const address = (label: string) => `${label}.${randomUUID().slice(0, 8)}.${stack.name}@example.test`.toLowerCase();
const PASSWORD = 'a long and proper password';
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);

/** Every byte of the record as the broker holds it: value, key and headers. */
const rawBytes = (m: CollectedMessage) =>
  Buffer.concat([
    m.message.value ?? Buffer.alloc(0),
    m.message.key ?? Buffer.alloc(0),
    ...Object.entries(m.message.headers ?? {}).flatMap(([name, value]) => [Buffer.from(name), Buffer.from(String(value))]),
  ]).toString('latin1');

/** The raw record of identity's request for this template to this address. */
async function requestRecord(to: string, template: string): Promise<CollectedMessage> {
  const [record] = await collector.waitForCount((m) => {
    if (m.topic !== requests || m.message.headers?.ce_type?.toString() !== registry.EmailRequested.type) return false;
    const event = fromKafkaMessage(m.message);
    return isEvent(event, 'EmailRequested') && event.data.to === to && event.data.template === template;
  }, 1);
  return record!;
}

async function mailTo(to: string, contains: string): Promise<MailpitMessage> {
  return waitFor(
    async () => {
      for (const summary of await mailpit.search(`to:"${to}"`)) {
        const message = await mailpit.message(summary.ID);
        if (message.Text.includes(contains)) return message;
      }
      return undefined;
    },
    { what: `an email to ${to} with ${contains}` },
  );
}

/** The outcome notification published for a request: EmailSent or EmailFailed. */
async function outcomeOf(request: CloudEvent<'EmailRequested'>) {
  const [message] = await collector.waitForCount((m) => {
    if (m.topic !== deliveries) return false;
    const event = fromKafkaMessage(m.message);
    return (isEvent(event, 'EmailSent') || isEvent(event, 'EmailFailed')) && event.data.emailRequestId === request.id;
  }, 1);
  return fromKafkaMessage(message!.message);
}

/** Writes a request straight to the topic and expects it refused, permanently and unsent. */
async function expectRefused(request: CloudEvent<'EmailRequested'>, detail: string) {
  await producer.send({ topic: requests, messages: [toKafkaMessage(request)] });
  const outcome = await outcomeOf(request);
  expect(outcome.type).toBe(registry.EmailFailed.type);
  expect(outcome.data).toMatchObject({ reason: 'rendering_failed', permanent: true, attempts: 0, detail: expect.stringContaining(detail) });
  // The detail names the variable, never its value.
  expect(JSON.stringify(outcome.data)).not.toContain('token=');
  expect(await mailpit.search(`to:"${request.data.to}"`)).toHaveLength(0);
}

const expiresAt = () => new Date(Date.now() + 3_600_000).toISOString();

beforeAll(async () => {
  await ensureTopics(kafka, [requests, deliveries, stack.topic(Topics.identityUser)]);
  await producer.connect();
  await collector.start();
  await stack.startIdentity();
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(async () => {
  await stack.stop();
  await collector.stop();
  await producer.disconnect();
});

describe('links on the email-requests topic', () => {
  const owner = address('owner');

  it('carries no verification token or link, while the email has the working link', async () => {
    await expectJson(await call('/auth/register', { body: { email: owner, password: PASSWORD } }), 201);
    const mail = await mailTo(owner, '/verify-email?token=');
    const [link, token] = /https:\/\/app\.solar\.test\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail.Text)!;

    const record = await requestRecord(owner, 'verify-email');
    expect(rawBytes(record)).not.toContain(token);
    expect(rawBytes(record)).not.toContain('verify-email?token');
    const event = fromKafkaMessage(record.message);
    expect(isEvent(event, 'EmailRequested') && event.data.sealedVariables.link).toMatch(/^v2\./);

    expect(link).toContain(token);
    await expectJson(await call('/auth/verify-email', { body: { token } }), 200);
  });

  it('carries no reset token or link, while the emailed link resets the password', async () => {
    await expectJson(await call('/auth/request-password-reset', { body: { email: owner } }), 202);
    const mail = await mailTo(owner, '/reset-password?token=');
    const token = /https:\/\/app\.solar\.test\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail.Text)![1]!;

    const record = await requestRecord(owner, 'password-reset');
    expect(rawBytes(record)).not.toContain(token);
    expect(rawBytes(record)).not.toContain('reset-password');

    const newPassword = 'another long and proper password';
    await expectJson(await call('/auth/reset-password', { body: { token, newPassword } }), 200);
    await expectJson(await call('/auth/login', { body: { email: owner, password: newPassword } }), 200);
  });
});

describe('requests notification refuses, unsent', () => {
  const clearRequest = (to: string, link: string) =>
    createEvent('EmailRequested', {
      source: '/identity',
      subject: randomUUID(),
      data: { template: 'password-reset', to, variables: { link, expiresAt: expiresAt() } },
    });

  it('a link in clear, even one on the web app (an event from before sealing, or a writer without the key)', async () => {
    const request = clearRequest(address('clear'), 'https://app.solar.test/reset-password?token=planted');
    await expectRefused(request, 'variable "link" arrived in clear');
  });

  it("a sealed reset link copied from a real request into one to the attacker's address", async () => {
    const victim = address('victim');
    await expectJson(await call('/auth/register', { body: { email: victim, password: PASSWORD } }), 201);
    await expectJson(await call('/auth/request-password-reset', { body: { email: victim } }), 202);
    const real = fromKafkaMessage((await requestRecord(victim, 'password-reset')).message);
    if (!isEvent(real, 'EmailRequested')) throw new Error('not an email request');

    const attacker = address('attacker');
    const moved = createEvent('EmailRequested', { source: '/identity', subject: randomUUID(), data: { ...real.data, to: attacker } });
    await expectRefused(moved, 'sealed variable "link" does not open');
    // Upper-cased, the victim's own address is still the victim's: it opens and is sent to them alone.
    const sameRecipient = createEvent('EmailRequested', {
      source: '/identity',
      subject: randomUUID(),
      data: { ...real.data, to: victim.toUpperCase() },
    });
    await producer.send({ topic: requests, messages: [toKafkaMessage(sameRecipient)] });
    expect((await outcomeOf(sameRecipient)).type).toBe(registry.EmailSent.type);
  });

  it('a sealed verification link copied into another template for the same address', async () => {
    const user = address('template');
    await expectJson(await call('/auth/register', { body: { email: user, password: PASSWORD } }), 201);
    const real = fromKafkaMessage((await requestRecord(user, 'verify-email')).message);
    if (!isEvent(real, 'EmailRequested')) throw new Error('not an email request');
    await mailTo(user, '/verify-email?token=');

    const moved = createEvent('EmailRequested', {
      source: '/identity',
      subject: randomUUID(),
      data: { ...real.data, template: 'password-reset' },
    });
    await producer.send({ topic: requests, messages: [toKafkaMessage(moved)] });
    const outcome = await outcomeOf(moved);
    expect(outcome.data).toMatchObject({
      reason: 'rendering_failed',
      detail: expect.stringContaining('sealed variable "link" does not open'),
    });
    expect((await mailpit.search(`to:"${user}"`)).length).toBe(1);
  });

  it('a link sealed with a key notification does not hold (same key id, other bytes)', async () => {
    const to = address('foreign-key');
    const sealedElsewhere = sealEmailRequest(createSealer(parseKeyRing(testKeyRing())))(
      clearRequest(to, 'https://app.solar.test/reset-password?token=forged'),
    ) as CloudEvent<'EmailRequested'>;
    expect(sealedElsewhere.data.sealedVariables.link).toMatch(/^v2\.test1\./);
    await expectRefused(sealedElsewhere, 'sealed variable "link" does not open');
  });

  it('while the same request sealed with the shared key is mailed', async () => {
    const to = address('sealed');
    const request = stack.sealLinks(clearRequest(to, 'https://app.solar.test/reset-password?token=fine'));
    await producer.send({ topic: requests, messages: [toKafkaMessage(request)] });
    expect((await outcomeOf(request)).type).toBe(registry.EmailSent.type);
    await mailTo(to, 'https://app.solar.test/reset-password?token=fine');
  });
});
