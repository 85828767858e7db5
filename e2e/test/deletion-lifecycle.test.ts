/**
 * Issue 7's "Done when", through the whole stack: the gateway, identity with a 10-second grace period,
 * lifecycle's real Agenda jobs (nothing here publishes DeletionGracePeriodExpired), notification and
 * Mailpit. The scenarios that need lifecycle running run at once, each waiting out its own grace period;
 * the restart scenario follows them, as it stops lifecycle for everyone.
 */
import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { createEvent, fromKafkaMessage, isEvent, toKafkaMessage, Topics, type AnyCloudEvent } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import {
  KafkaCollector,
  Mailpit,
  mongoUrlFor,
  sleepUntil,
  waitFor,
  type CollectedMessage,
  type MailpitSummary,
} from '@solar/chassis/testing';
import type { LifecycleService } from '@solar/lifecycle';
import { TestStack } from './support/stack';

const GRACE = '10s';
/** How long past purgeAt a purge that must not happen is given to show itself. */
const MARGIN_MS = 4_000;
/** Lifecycle's one-time job per deletion request. */
const PURGE_JOB = 'deletion-grace-period-expired';
const PASSWORD = 'correct horse battery';
const FAREWELL = /has been deleted/;

const stack = new TestStack('deletion-lifecycle');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'deletion-lifecycle-test', logLevel: logLevel.NOTHING });
const topics = [Topics.identityUser, Topics.lifecycle, Topics.notificationDeliveries, Topics.notificationEmailRequests].map((topic) =>
  stack.topic(topic),
);
const published = new KafkaCollector(stack.infra.kafkaBrokers, topics);
let producer: Producer;
let gatewayUrl: string;
let lifecycle: LifecycleService;
let identityDb: Connection;
let notificationDb: Connection;
let lifecycleDb: Connection;

interface Account {
  email: string;
  userId: string;
  token: string;
}

interface Deletion {
  requestId: string;
  purgeAt: Date;
}

function post(path: string, body?: unknown, token?: string) {
  return stack.fetch(`${gatewayUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

const signIn = (email: string) => post('/v1/auth/login', { email, password: PASSWORD });

async function openAccount(label: string): Promise<Account> {
  const email = `${label}.${stack.name}@example.test`.toLowerCase();
  expect((await post('/v1/auth/register', { email, password: PASSWORD })).status).toBe(201);
  const login = await signIn(email);
  expect(login.status).toBe(200);
  const { access_token } = (await login.json()) as { access_token: string };
  const user = await identityDb.collection('users').findOne({ email });
  return { email, userId: String(user!._id), token: access_token };
}

async function requestDeletion(account: Account): Promise<Deletion> {
  const answer = await post('/v1/auth/request-deletion', { password: PASSWORD }, account.token);
  expect(answer.status).toBe(202);
  const { deletion } = (await answer.json()) as { deletion: { purgeAt: string } };
  const user = await identityDb.collection('users').findOne({ _id: account.userId as never });
  return { requestId: String(user!.deletion.requestId), purgeAt: new Date(deletion.purgeAt) };
}

const eventOf = ({ message }: CollectedMessage): AnyCloudEvent =>
  fromKafkaMessage({ key: message.key, value: message.value, headers: message.headers ?? {} });

function userDeletedOf(account: Account) {
  return published.messages.map(eventOf).filter((event) => isEvent(event, 'UserDeleted') && event.data.userId === account.userId);
}

function expiredOf(deletion: Deletion) {
  return published.messages
    .map(eventOf)
    .filter((event) => isEvent(event, 'DeletionGracePeriodExpired') && event.data.deletionRequestId === deletion.requestId);
}

function purgeJobsOf(account: Account): Promise<number> {
  return lifecycleDb.collection('agendaJobs').countDocuments({ name: PURGE_JOB, 'data.userId': account.userId });
}

async function waitForPurgeJobs(account: Account, count: number): Promise<void> {
  await waitFor(async () => ((await purgeJobsOf(account)) === count ? true : undefined), { what: `${count} purge job(s)` });
}

async function waitForPurge(account: Account): Promise<AnyCloudEvent> {
  const [deleted] = await waitFor(
    () => {
      const events = userDeletedOf(account);
      return events.length > 0 ? events : undefined;
    },
    { timeoutMs: 30_000, what: `UserDeleted for ${account.email}` },
  );
  return deleted!;
}

function farewellsTo(account: Account): Promise<MailpitSummary[]> {
  return mailpit.search(`to:"${account.email}"`).then((mails) => mails.filter((mail) => FAREWELL.test(mail.Subject)));
}

async function waitForFarewell(account: Account): Promise<MailpitSummary> {
  const [mail] = await waitFor(
    async () => {
      const mails = await farewellsTo(account);
      return mails.length > 0 ? mails : undefined;
    },
    { timeoutMs: 30_000, what: `the account-deleted email to ${account.email}` },
  );
  return mail!;
}

/** Every raw document of every collection of a database that mentions the address or the user id. */
async function personalDataIn(db: Connection, account: Account): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of await db.db!.listCollections().toArray()) {
    for (const doc of await db.collection(name).find({}).toArray()) {
      const text = JSON.stringify(doc).toLowerCase();
      if (text.includes(account.email) || text.includes(account.userId.toLowerCase())) found.push(`${db.name}.${name}: ${text}`);
    }
  }
  return found;
}

async function expectNothingPersonalKept(account: Account): Promise<void> {
  let found: string[] = [];
  await waitFor(
    async () => {
      found = [...(await personalDataIn(notificationDb, account)), ...(await personalDataIn(lifecycleDb, account))];
      return found.length === 0 ? true : undefined;
    },
    { what: `notification and lifecycle to forget ${account.email}` },
  ).catch((error: Error) => {
    throw new Error(`${error.message}\n${found.join('\n')}`);
  });
}

/** The checks every purge ends with: the account is gone, its owner told, and nothing personal stays. */
async function expectPurged(account: Account): Promise<void> {
  await waitForPurge(account);
  expect((await signIn(account.email)).status).toBe(401);
  // UserDeleted goes out before the purge's last steps (sessions, audit entries, the account itself).
  await waitFor(async () => ((await identityDb.collection('users').findOne({ _id: account.userId as never })) ? undefined : true), {
    what: `identity to remove the account of ${account.email}`,
  });
  const farewell = await waitForFarewell(account);
  expect(farewell.To.map((to) => to.Address)).toEqual([account.email]);
  await expectNothingPersonalKept(account);
}

// --- the scenarios that run while lifecycle runs, started together ---

async function requestThenCancel(account: Account): Promise<void> {
  const deletion = await requestDeletion(account);
  await waitForPurgeJobs(account, 1);
  expect((await post('/v1/auth/cancel-deletion', undefined, account.token)).status).toBe(200);
  await waitForPurgeJobs(account, 0);

  await sleepUntil(deletion.purgeAt.getTime() + MARGIN_MS);
  expect((await signIn(account.email)).status).toBe(200);
  expect(expiredOf(deletion)).toEqual([]);
  expect(userDeletedOf(account)).toEqual([]);
  expect(await identityDb.collection('users').findOne({ _id: account.userId as never })).toMatchObject({ deletion: null });
  expect(await lifecycleDb.collection('pending_deletions').findOne({ _id: deletion.requestId as never })).toMatchObject({
    status: 'cancelled',
  });
}

async function requestThenPurge(account: Account): Promise<void> {
  const deletion = await requestDeletion(account);
  await waitForPurgeJobs(account, 1);

  // Shortly before purgeAt: still there, untouched, and nothing has announced its end.
  await sleepUntil(deletion.purgeAt.getTime() - 2_000);
  const before = await identityDb.collection('users').findOne({ _id: account.userId as never });
  expect(before?.deletion).toMatchObject({ requestId: deletion.requestId, purgeStartedAt: null });
  expect(expiredOf(deletion)).toEqual([]);
  expect(userDeletedOf(account)).toEqual([]);

  const deleted = await waitForPurge(account);
  expect(deleted.data).toMatchObject({ userId: account.userId, email: account.email, deletionRequestId: deletion.requestId });
  const [expired] = expiredOf(deletion);
  expect(Date.parse(expired!.time)).toBeGreaterThanOrEqual(deletion.purgeAt.getTime());
  const tombstone = await identityDb.collection('deleted_accounts').findOne({ _id: deletion.requestId as never });
  expect(tombstone!.deletedAt.getTime()).toBeGreaterThanOrEqual(deletion.purgeAt.getTime());
  await expectPurged(account);
}

async function duplicatedRequest(account: Account): Promise<void> {
  const deletion = await requestDeletion(account);
  const [original] = await published.waitForCount((m) => {
    const event = eventOf(m);
    return isEvent(event, 'DeletionRequested') && event.data.deletionRequestId === deletion.requestId;
  }, 1);
  const requested = eventOf(original!);
  if (!isEvent(requested, 'DeletionRequested')) throw new Error('not a DeletionRequested');
  // Identity's event redelivered as it was, then the same request under a new event id (a republished outbox entry).
  const copy = createEvent('DeletionRequested', { source: requested.source, subject: account.userId, data: requested.data });
  await producer.send({
    topic: stack.topic(Topics.identityUser),
    messages: [
      { key: original!.message.key, value: original!.message.value, headers: original!.message.headers ?? {} },
      toKafkaMessage(copy),
    ],
  });
  // Lifecycle counts each event it handled by id: once the copy is counted, both duplicates were handled (same key, same partition).
  await waitFor(
    async () => ((await lifecycleDb.collection('counted_events').countDocuments({ _id: copy.id as never })) === 1 ? true : undefined),
    {
      what: 'lifecycle to handle the duplicates',
    },
  );
  expect(await purgeJobsOf(account)).toBe(1);

  await expectPurged(account);
}

async function lostJob(account: Account): Promise<void> {
  const deletion = await requestDeletion(account);
  await waitForPurgeJobs(account, 1);
  await lifecycleDb.collection('agendaJobs').deleteMany({ name: PURGE_JOB, 'data.userId': account.userId });

  // The job is really lost: past purgeAt, nothing happened.
  await sleepUntil(deletion.purgeAt.getTime() + MARGIN_MS);
  expect(expiredOf(deletion)).toEqual([]);
  expect(await identityDb.collection('users').findOne({ _id: account.userId as never })).not.toBeNull();

  await lifecycle.runJobNow('deletion-sweep');
  await expectPurged(account);
}

/** Started together; each test awaits its own (a failure is kept for its test, not reported as unhandled). */
function startConcurrently(run: () => Promise<void>): Promise<void> {
  const running = run();
  running.catch(() => undefined);
  return running;
}

const accounts: Record<'cancelled' | 'purged' | 'duplicated' | 'lost' | 'restarted', Account | undefined> = {
  cancelled: undefined,
  purged: undefined,
  duplicated: undefined,
  lost: undefined,
  restarted: undefined,
};
let scenarios: Record<'cancelled' | 'purged' | 'duplicated' | 'lost', Promise<void>>;

function scenario(name: keyof typeof scenarios, run: (account: Account) => Promise<void>) {
  return startConcurrently(async () => {
    const account = await openAccount(name);
    accounts[name] = account;
    await run(account);
  });
}

beforeAll(async () => {
  await ensureTopics(kafka, topics);
  await published.start();
  producer = kafka.producer();
  await producer.connect();
  await stack.startIdentity({ DELETION_GRACE_PERIOD: GRACE });
  await stack.startNotification();
  await stack.startLifecycle({ JOBS_PROCESS_EVERY: '500ms', JOBS_RETRY_DELAY: '1s' });
  lifecycle = stack.lifecycle();
  gatewayUrl = (await stack.startGateway()).url;
  identityDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  notificationDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-notification`)).asPromise();
  lifecycleDb = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-lifecycle`)).asPromise();

  scenarios = {
    cancelled: scenario('cancelled', requestThenCancel),
    purged: scenario('purged', requestThenPurge),
    duplicated: scenario('duplicated', duplicatedRequest),
    lost: scenario('lost', lostJob),
  };
});

afterAll(async () => {
  await published.stop();
  await producer?.disconnect();
  await stack.stop();
  await Promise.all([identityDb?.close(), notificationDb?.close(), lifecycleDb?.close()]);
});

it('never purges an account whose deletion was cancelled, even past purgeAt', () => scenarios.cancelled);

it('purges at purgeAt and not before: sign-in fails, UserDeleted, the farewell email, nothing personal left', () => scenarios.purged);

it('makes one job and one purge of a DeletionRequested delivered again and republished', () => scenarios.duplicated);

it('purges, through the sweep, an overdue deletion whose job was lost', () => scenarios.lost);

it('still purges when lifecycle was stopped between scheduling and purgeAt and started after', async () => {
  const account = await openAccount('restarted');
  accounts.restarted = account;
  const deletion = await requestDeletion(account);
  await waitForPurgeJobs(account, 1);
  await stack.stopService('lifecycle');

  await sleepUntil(deletion.purgeAt.getTime() + MARGIN_MS);
  expect(expiredOf(deletion)).toEqual([]);
  expect(await identityDb.collection('users').findOne({ _id: account.userId as never })).not.toBeNull();

  await stack.startLifecycle({ JOBS_PROCESS_EVERY: '500ms', JOBS_RETRY_DELAY: '1s' });
  lifecycle = stack.lifecycle();
  await expectPurged(account);
});

it('purged each account once, and the cancelled one never, over the whole run', async () => {
  const { cancelled, ...purged } = accounts;
  expect(cancelled).toBeDefined();
  expect(userDeletedOf(cancelled!)).toEqual([]);
  expect(await farewellsTo(cancelled!)).toEqual([]);
  for (const [name, account] of Object.entries(purged)) {
    expect({ name, userDeleted: userDeletedOf(account!).length, farewells: (await farewellsTo(account!)).length }).toEqual({
      name,
      userDeleted: 1,
      farewells: 1,
    });
  }
});
