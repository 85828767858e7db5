/**
 * Scenario 1: 200 registrations through the gateway while notification is SIGKILLed and restarted
 * half-way. Every address gets exactly one verification email: the consumer's offsets, its dedupe on
 * event ids and the delivery records must between them neither lose nor repeat what was in flight.
 * The one repeat SMTP allows: the email being sent at the kill, accepted by the server but not yet
 * recorded, goes again after the restart with the same Message-ID (a copy mail clients show once).
 */
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { mongoUrlFor } from '@solar/chassis/testing';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, expectOneMailEach, pool, report, tally } from './support/chaos';

assertChaosProfile();
const stack = new TestStack('chaos-notification', { processes: true });
const REGISTRATIONS = 200;
/**
 * A delivery the killed process had claimed is finished by the restarted one once the claim's lease
 * runs out (DELIVERY_LEASE): the bound on how late such an email comes. Short here so the scenario
 * waits seconds, not the default 2 minutes.
 */
const LEASE = '15s';
const domain = `${stack.name}.example.test`.toLowerCase();
const addresses = Array.from({ length: REGISTRATIONS }, (_, i) => `user${i}@${domain}`);
let gatewayUrl: string;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'chaos', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [stack.topic(Topics.identityUser), stack.topic(Topics.notificationEmailRequests)]);
  await Promise.all([stack.startIdentity(), stack.startNotification({ DELIVERY_LEASE: LEASE })]);
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

  // Settled once every delivery record is final: one claimed by the killed process is taken over when its lease ends.
  const db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-notification`)).asPromise();
  const deliveries = db.collection('deliveries');
  const settled = async () =>
    (await deliveries.countDocuments({ status: 'sent' })) >= REGISTRATIONS &&
    (await deliveries.countDocuments({ status: { $ne: 'sent' } })) === 0;
  try {
    // One kill can leave at most the one email being sent at that moment without its record: sent again, as a copy.
    const { emails, resent } = await expectOneMailEach(stack.infra.mailpitUrl, domain, addresses, { settled, maxResent: 1 });
    report(
      'notification SIGKILLed',
      `${created} registered, ${emails - resent.length} emails, 0 lost, 0 duplicates` +
        (resent.length
          ? `; plus ${resent.length} copy sent again with the same Message-ID (killed between SMTP accept and its delivery record): ${resent.join(', ')}`
          : ''),
    );
  } finally {
    await db.close();
  }
});
