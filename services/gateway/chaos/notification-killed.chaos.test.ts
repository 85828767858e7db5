/**
 * Scenario 1: 200 registrations through the gateway while notification is SIGKILLed and restarted
 * half-way. Every address gets exactly one verification email: the consumer's offsets, its dedupe on
 * event ids and the delivery records must between them neither lose nor repeat what was in flight.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, expectOneMailEach, pool, report, tally } from './support/chaos';

assertChaosProfile();
const stack = new TestStack('chaos-notification', { processes: true });
const REGISTRATIONS = 200;
const domain = `${stack.name}.example.test`.toLowerCase();
const addresses = Array.from({ length: REGISTRATIONS }, (_, i) => `user${i}@${domain}`);
let gatewayUrl: string;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'chaos', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [stack.topic(Topics.identityUser), stack.topic(Topics.notificationEmailRequests)]);
  await Promise.all([stack.startIdentity(), stack.startNotification()]);
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(() => stack.stop());

it('sends exactly one verification email per registration across a SIGKILL of notification', async () => {
  const notification = stack.process('notification');
  let done = 0;
  let crash: Promise<void> | undefined;
  const statuses = await pool(REGISTRATIONS, 8, async (i) => {
    const response = await fetch(`${gatewayUrl}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: addresses[i], password: 'correct horse battery' }),
    });
    await response.arrayBuffer();
    // Killed while registrations (and so emails) are flowing; back once most have been made.
    if (++done === 60) crash = notification.kill('SIGKILL').then(() => undefined);
    if (done === 140) await crash?.then(() => notification.start());
    return response.status;
  });
  const created = statuses.filter((status) => status === 201).length;
  expect(tally(statuses)).toEqual({ 201: REGISTRATIONS });

  const counts = await expectOneMailEach(stack.infra.mailpitUrl, domain, addresses);
  const emails = [...counts.values()].reduce((sum, count) => sum + count, 0);
  report('notification SIGKILLed', `${created} registered, ${emails} emails, 0 lost, 0 duplicates`);
});
