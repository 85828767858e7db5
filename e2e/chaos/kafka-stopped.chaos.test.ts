/**
 * Scenario 2: the broker stopped for 10 seconds while registrations go on. Identity answers every one
 * (the events wait in the outbox of the user's document); once the broker is back, every
 * UserRegistered is on the topic and every verification email arrives.
 */
import { Kafka, logLevel } from 'kafkajs';
import mongoose from 'mongoose';
import { Topics, registry } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { mongoUrlFor, uniqueName } from '@solar/chassis/testing';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, expectOneMailEach, infra, readTopic, report, tally } from './support/chaos';

assertChaosProfile();
const stack = new TestStack('chaos-kafka', { processes: true });
const OUTAGE_MS = 10_000;
const domain = `${stack.name}.example.test`.toLowerCase();
let gatewayUrl: string;
let kafkaDown = false;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'chaos', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [stack.topic(Topics.identityUser), stack.topic(Topics.notificationEmailRequests)]);
  await Promise.all([stack.startIdentity(), stack.startNotification()]);
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(async () => {
  // A failure half-way must not leave the broker down for the scenarios after this one.
  if (kafkaDown) await infra('up');
  await stack.stop();
});

let registered = 0;
async function register(): Promise<{ email: string; status: number }> {
  const email = `user${registered++}@${domain}`;
  const response = await fetch(`${gatewayUrl}/v1/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct horse battery' }),
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return { email, status: response.status };
}

/** Registrations two at a time for as long as `keepGoing` says so. */
async function registerWhile(keepGoing: () => boolean): Promise<{ email: string; status: number }[]> {
  const results: { email: string; status: number }[] = [];
  const worker = async () => {
    while (keepGoing()) results.push(await register());
  };
  await Promise.all([worker(), worker()]);
  return results;
}

it('answers every registration while the broker is down, and publishes and emails each once it is back', async () => {
  const before = await Promise.all(Array.from({ length: 10 }, register));

  await infra('down', 'kafka');
  kafkaDown = true;
  const downAt = Date.now();
  const during = await registerWhile(() => Date.now() - downAt < OUTAGE_MS);
  await infra('up');
  kafkaDown = false;
  const after = await Promise.all(Array.from({ length: 10 }, register));

  const all = [...before, ...during, ...after];
  const failed = all.filter((result) => result.status !== 201);
  expect(failed.map((result) => `${result.email}: ${result.status}`)).toEqual([]);
  expect(tally(all.map((result) => result.status))).toEqual({ 201: all.length });

  const db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  const users = await db
    .collection<{ _id: unknown; email: string }>('users')
    .find({ email: { $in: all.map((result) => result.email) } })
    .toArray();
  await db.close();
  const userIds = users.map((user) => String(user._id));
  expect(userIds).toHaveLength(all.length);

  const registeredType = registry.UserRegistered.type;
  const messages = await readTopic(
    stack.infra.kafkaBrokers,
    stack.topic(Topics.identityUser),
    (seen) => userIds.every((id) => seen.some((m) => m.key?.toString() === id && m.headers?.ce_type?.toString() === registeredType)),
    { group: uniqueName('chaos-reader') },
  );
  const perUser = new Map<string, number>();
  for (const message of messages) {
    if (message.headers?.ce_type?.toString() !== registeredType) continue;
    const id = message.key?.toString() ?? '';
    perUser.set(id, (perUser.get(id) ?? 0) + 1);
  }
  const lost = users.filter((user) => !perUser.has(String(user._id))).map((user) => `${user.email} (${String(user._id)})`);
  expect(lost).toEqual([]);
  const republished = [...perUser.values()].filter((count) => count > 1).length;

  const { emails } = await expectOneMailEach(
    stack.infra.mailpitUrl,
    domain,
    all.map((result) => result.email),
  );
  report(
    'Kafka stopped 10 s',
    `${all.length} registered (${during.length} while the broker was down), ${all.length} answered 201, ` +
      `${perUser.size} UserRegistered on the topic (${republished} published twice), ${emails} emails, 0 lost, 0 duplicates`,
  );
});
