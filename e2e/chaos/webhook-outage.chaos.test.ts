/**
 * Scenario: a webhook receiver answers 503 for 2 minutes while 500 accounts register and verify
 * through the gateway. Once it recovers every event arrives (none lost), a repeat carries the
 * `webhook-id` of its first try, and each account's UserRegistered comes before its EmailVerified.
 * (services/notification/test/webhook-outage.test.ts runs the same at a size for every test run.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import { fromKafkaMessage, isEvent, Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, pool, report, tally } from './support/chaos';

assertChaosProfile();
const stack = new TestStack('chaos-webhooks', { processes: true });
const ACCOUNTS = 500;
const OUTAGE_MS = 2 * 60_000;
const PASSWORD = 'correct horse battery';
const ADMIN = `admin@${stack.name}.example.test`.toLowerCase();
const domain = `${stack.name}.example.test`.toLowerCase();

/** Every request the receiver got: its `webhook-id`, its status, and the event's type and subject. */
const receipts: { id: string; status: number; type: string; subject: string }[] = [];
let down = true;
let receiver: Server;
let receiverUrl: string;
let gatewayUrl: string;
let requests: KafkaCollector;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type: string; subject: string };
      const status = down ? 503 : 204;
      receipts.push({ id: String(req.headers['webhook-id']), status, type: event.type, subject: event.subject });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'chaos', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [stack.topic(Topics.identityUser), stack.topic(Topics.notificationEmailRequests)]);
  requests = new KafkaCollector(stack.infra.kafkaBrokers, [stack.topic(Topics.notificationEmailRequests)]);
  await requests.start();
  await stack.startIdentity({ ADMIN_EMAILS: ADMIN });
  await stack.startNotification({
    WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
    WEBHOOK_RETRY_BASE: '1s',
    WEBHOOK_RETRY_MAX: '10s',
    WEBHOOK_POLL_INTERVAL: '200ms',
  });
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(async () => {
  await requests?.stop();
  await stack.stop();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function verificationLink(email: string): Promise<string> {
  const [request] = await requests.waitForCount((m) => {
    const event = fromKafkaMessage(m.message);
    return isEvent(event, 'EmailRequested') && event.data.to === email && event.data.template === 'verify-email';
  }, 1);
  const event = fromKafkaMessage(request!.message);
  if (!isEvent(event, 'EmailRequested')) throw new Error('not an email request');
  return stack.emailVariables(event.data).link ?? '';
}

it('delivers every event of 500 accounts registered during a 2-minute outage, in order, repeats under one id', async () => {
  const token = await stack.signUpVerified(ADMIN, PASSWORD);
  // The admin's own events came before the endpoint existed, unless the consumer lagged: left out.
  const adminId = (JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub: string }).sub;
  const created = await stack.fetch(`${gatewayUrl}/v1/admin/webhooks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ url: receiverUrl, eventTypes: ['UserRegistered', 'EmailVerified'], description: 'chaos receiver' }),
  });
  expect(created.status).toBe(201);
  const outageEnds = Date.now() + OUTAGE_MS;

  const statuses = await pool(ACCOUNTS, 8, async (i) => {
    const email = `user${i}@${domain}`;
    const headers = { 'content-type': 'application/json' };
    const registered = await fetch(`${gatewayUrl}/v1/auth/register`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    await registered.arrayBuffer();
    const link = new URL(await verificationLink(email));
    const verified = await fetch(`${gatewayUrl}/v1/auth/verify-email`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ token: link.searchParams.get('token') }),
    });
    await verified.arrayBuffer();
    return verified.status;
  });
  expect(tally(statuses)).toEqual({ 200: ACCOUNTS });
  await sleep(Math.max(0, outageEnds - Date.now()));
  down = false;

  const accountReceipts = () => receipts.filter((r) => r.subject !== adminId);
  const delivered = () =>
    new Set(
      accountReceipts()
        .filter((r) => r.status === 204)
        .map((r) => r.id),
    );
  await waitFor(() => (delivered().size === 2 * ACCOUNTS ? true : undefined), {
    timeoutMs: 180_000,
    intervalMs: 1_000,
    what: 'every event',
  });

  const bySubject = new Map<string, string[]>();
  for (const receipt of accountReceipts()) bySubject.set(receipt.subject, [...(bySubject.get(receipt.subject) ?? []), receipt.type]);
  for (const types of bySubject.values()) {
    const firstVerified = types.findIndex((type) => type.endsWith('EmailVerified.v1'));
    const lastRegistered = types.findLastIndex((type) => type.endsWith('UserRegistered.v1'));
    expect(lastRegistered).toBeLessThan(firstVerified === -1 ? Infinity : firstVerified);
  }
  const idsPerSubjectType = new Map<string, Set<string>>();
  for (const receipt of accountReceipts()) {
    const key = `${receipt.subject}/${receipt.type}`;
    idsPerSubjectType.set(key, (idsPerSubjectType.get(key) ?? new Set()).add(receipt.id));
  }
  // A repeat is the same event under the same webhook-id: one id per account and type, however many tries.
  expect([...idsPerSubjectType.values()].every((ids) => ids.size === 1)).toBe(true);
  expect(bySubject.size).toBe(ACCOUNTS);
  report(
    'webhook outage',
    `${receipts.length} requests, ${receipts.filter((r) => r.status === 503).length} answered 503, ${delivered().size} events delivered`,
  );
  // The outage alone is 2 minutes; registering 500 accounts (argon2id each) and the catch-up come on top.
}, 600_000);
