/**
 * Scenario 6: lifecycle SIGKILLed just as purge jobs fall due (one of them perhaps already locked by
 * Agenda, which takes jobs due within its next polling window), and started again after every purgeAt
 * has passed. Each account is purged, and announced by exactly one UserDeleted.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { fromKafkaMessage, isEvent, Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, sleepUntil, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, report } from './support/chaos';

assertChaosProfile();
const stack = new TestStack('chaos-lifecycle', { processes: true });
const PASSWORD = 'correct horse battery';
const ACCOUNTS = 3;
/**
 * A job locked by the killed process is taken over once its lock is this old (JOBS_LOCK_LIFETIME): the
 * bound on how late a purge can come after a crash. Short here so the scenario waits seconds, not the default 10 minutes.
 */
const LIFECYCLE_ENV = { JOBS_PROCESS_EVERY: '500ms', JOBS_RETRY_DELAY: '1s', JOBS_LOCK_LIFETIME: '8s' };
/** How long after the last UserDeleted a second one is given to show itself. */
const MARGIN_MS = 3_000;
const topics = [Topics.identityUser, Topics.lifecycle].map((topic) => stack.topic(topic));
const published = new KafkaCollector(stack.infra.kafkaBrokers, topics);
let identityUrl: string;
let identityDb: Connection;
let lifecycleDb: Connection;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'chaos', logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  await published.start();
  identityUrl = (await stack.startIdentity({ DELETION_GRACE_PERIOD: '8s' })).url;
  await stack.startLifecycle(LIFECYCLE_ENV);
  identityDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  lifecycleDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-lifecycle`)).asPromise();
});

afterAll(async () => {
  await published.stop();
  await stack.stop();
  await Promise.all([identityDb?.close(), lifecycleDb?.close()]);
});

function userDeletedCounts(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { message } of published.messages) {
    const event = fromKafkaMessage({ key: message.key, value: message.value, headers: message.headers ?? {} });
    if (isEvent(event, 'UserDeleted')) counts.set(event.data.userId, (counts.get(event.data.userId) ?? 0) + 1);
  }
  return counts;
}

it('purges every account once after lifecycle is SIGKILLed while their purge jobs fall due', async () => {
  const emails = Array.from({ length: ACCOUNTS }, (_, i) => `user${i}@${stack.name}.example.test`.toLowerCase());
  const tokens = await Promise.all(emails.map((email) => stack.signUp(email, PASSWORD)));
  // Requested together, so that every purge falls due within a second or so of the kill.
  const accounts = await Promise.all(
    emails.map(async (email, i) => {
      const answer = await fetch(`${identityUrl}/auth/request-deletion`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i]}` },
        body: JSON.stringify({ password: PASSWORD }),
      });
      expect(answer.status).toBe(202);
      const { deletion } = (await answer.json()) as { deletion: { purgeAt: string } };
      const user = await identityDb.collection('users').findOne({ email });
      return { email, userId: String(user!._id), purgeAt: Date.parse(deletion.purgeAt) };
    }),
  );
  accounts.sort((a, b) => a.purgeAt - b.purgeAt);
  const jobs = lifecycleDb.collection('agendaJobs');
  const userIds = accounts.map((account) => account.userId);
  await waitFor(
    async () =>
      (await jobs.countDocuments({ name: 'deletion-grace-period-expired', 'data.userId': { $in: userIds } })) === ACCOUNTS
        ? true
        : undefined,
    { what: `${ACCOUNTS} purge jobs` },
  );

  // Just before the first purge is due: inside Agenda's polling window, so its job may be locked already.
  await sleepUntil(accounts[0]!.purgeAt - 250);
  await stack.process('lifecycle').kill('SIGKILL');
  const locked = await jobs.countDocuments({
    name: 'deletion-grace-period-expired',
    'data.userId': { $in: userIds },
    lockedAt: { $ne: null },
  });

  await sleepUntil(accounts[accounts.length - 1]!.purgeAt + 1_000);
  const purgedBeforeRestart = userDeletedCounts().size;
  await stack.process('lifecycle').start();

  await waitFor(() => (userIds.every((id) => userDeletedCounts().has(id)) ? true : undefined), {
    timeoutMs: 60_000,
    what: `UserDeleted for each of ${ACCOUNTS} accounts`,
  }).catch(() => undefined);
  await sleep(MARGIN_MS);
  const counts = userDeletedCounts();
  const lost = accounts.filter((account) => !counts.has(account.userId)).map((account) => `${account.email} (${account.userId})`);
  const duplicated = accounts
    .filter((account) => (counts.get(account.userId) ?? 0) > 1)
    .map((account) => `${account.email} ×${counts.get(account.userId)}`);
  expect({ lost, duplicated }).toEqual({ lost: [], duplicated: [] });
  expect(await identityDb.collection('users').countDocuments({ _id: { $in: userIds as never[] } })).toBe(0);
  report(
    'lifecycle SIGKILLed',
    `${ACCOUNTS} purges due at the kill (${locked} of their jobs locked by the killed process, ${purgedBeforeRestart} purged by it before it died), ` +
      `${[...counts.values()].reduce((a, b) => a + b, 0)} UserDeleted in all after the restart: 0 lost, 0 duplicates`,
  );
});
