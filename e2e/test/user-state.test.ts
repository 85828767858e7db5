import { Kafka, logLevel, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { generate } from 'otplib';
import { Topics, createEvent, fromKafkaMessage, isEvent, registry, toKafkaMessage } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, uniqueName, waitFor } from '@solar/chassis/testing';
import { mirrorAccounts, type AccountState } from '../examples/account-mirror';
import { TestStack } from './support/stack';
import { apiClient, expectJson } from './support/api-client';

// Services in processes of their own: a thousand sign-ups (argon2 hashes, QR codes) want both cores.
const stack = new TestStack('user-state-e2e', { processes: true });
const emailRequests = new KafkaCollector(stack.infra.kafkaBrokers, [stack.topic(Topics.notificationEmailRequests)]);
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const ADMIN = address('admin');
const PASSWORD = 'a long and proper password';
const ACCOUNTS = 1_000;
/** Enough to keep identity busy; more only queues argon2 work past the gateway's upstream timeout. */
const IN_FLIGHT = 6;
/** Every tenth account asks to be deleted, and is purged. */
const deleted = (i: number) => i % 10 === 0;
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let db: Connection;
let producer: Producer;
let adminToken: string;

/** Short, so the deletions asked for are due by the time every account is made. */
const GRACE_MS = 1_000;

interface AdminUser {
  id: string;
  email: string;
  emailVerified: boolean;
  roles: string[];
  disabled: boolean;
  createdAt: string;
}

/** Verification tokens by address, from the email requests read so far; each message is opened once. */
const verificationTokens = new Map<string, string>();
let opened = 0;

function verificationTokenFor(email: string): Promise<string> {
  return waitFor(
    () => {
      for (; opened < emailRequests.messages.length; opened++) {
        const { message } = emailRequests.messages[opened]!;
        if (message.headers?.ce_type?.toString() !== registry.EmailRequested.type) continue;
        const event = fromKafkaMessage(message);
        if (!isEvent(event, 'EmailRequested') || event.data.template !== 'verify-email') continue;
        verificationTokens.set(event.data.to, new URL(stack.emailVariables(event.data).link!).searchParams.get('token')!);
      }
      return verificationTokens.get(email);
    },
    { what: `the verification link for ${email}` },
  );
}

/** One account's life through the public API: registered, verified, renamed, two-factor on, maybe deletion asked for. */
async function live(i: number): Promise<void> {
  const email = address(`user-${i}`);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  await expectJson(await call('/auth/verify-email', { body: { token: await verificationTokenFor(email) } }), 200);
  const { access_token: token } = await expectJson<{ access_token: string }>(
    await call('/auth/login', { body: { email, password: PASSWORD } }),
    200,
  );
  await expectJson(await call('/users/me', { method: 'PATCH', token, body: { displayName: `User ${i}` } }), 200);
  const { secret } = await expectJson<{ secret: string }>(await call('/auth/2fa/enable', { token, body: { password: PASSWORD } }), 200);
  const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) });
  await expectJson(await call('/auth/2fa/verify', { token, body: { password: PASSWORD, code } }), 200);
  if (deleted(i)) await expectJson(await call('/auth/request-deletion', { token, body: { password: PASSWORD } }), 202);
}

async function eachWithLimit(count: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await fn(next++);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

/** Plays lifecycle: announces that each pending deletion's grace period ended, which makes identity purge it. */
async function expireGracePeriods(): Promise<number> {
  const pending = await db
    .collection('users')
    .find({ deletion: { $ne: null } })
    .toArray();
  const due = Math.max(...pending.map((user) => (user.deletion.purgeAt as Date).getTime()));
  await waitFor(async () => (Date.now() > due ? true : undefined), { what: 'every deletion due' });
  const events = pending.map((user) =>
    createEvent('DeletionGracePeriodExpired', {
      source: '/lifecycle',
      subject: String(user._id),
      data: { userId: String(user._id), deletionRequestId: String(user.deletion.requestId) },
    }),
  );
  await producer.send({ topic: stack.topic(Topics.lifecycle), messages: events.map(toKafkaMessage) });
  return pending.length;
}

async function adminUsers(): Promise<AdminUser[]> {
  const users: AdminUser[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: AdminUser[]; nextCursor: string | null } = await expectJson(
      await call(`/admin/users?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token: adminToken }),
      200,
    );
    users.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return users;
}

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    [Topics.identityUser, Topics.identityUserState, Topics.notificationEmailRequests, Topics.lifecycle].map((t) => stack.topic(t)),
  );
  producer = kafka.producer();
  await producer.connect();
  await stack.startIdentity({ ADMIN_EMAILS: ADMIN, DELETION_GRACE_PERIOD: `${GRACE_MS}ms` });
  gatewayUrl = (await stack.startGateway()).url;
  await emailRequests.start();
  db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
  adminToken = await stack.signUpVerified(ADMIN, PASSWORD);
});

afterAll(async () => {
  await emailRequests.stop();
  await producer?.disconnect();
  await stack.stop();
  await db?.close();
});

describe('identity.user-state.v1', () => {
  it('rebuilds, read from offset 0 by a fresh group, exactly the accounts the admin API lists', async () => {
    await eachWithLimit(ACCOUNTS, IN_FLIGHT, live);
    const purged = await expireGracePeriods();
    expect(purged).toBe(ACCOUNTS / 10);
    await waitFor(async () => ((await db.collection('users').countDocuments({ deletion: { $ne: null } })) === 0 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'every pending deletion purged',
    });
    const listed = await adminUsers();
    expect(listed).toHaveLength(ACCOUNTS - purged + 1);

    const mirror = await mirrorAccounts({
      brokers: stack.infra.kafkaBrokers.split(','),
      groupId: uniqueName('account-mirror'),
      topic: stack.topic(Topics.identityUserState),
    });
    try {
      // Identity publishes its outbox a moment after each write: the mirror matches once it has all.
      const rebuilt = await waitFor(
        async () => {
          await mirror.caughtUp();
          return mirror.accounts.size === listed.length ? mirror.accounts : undefined;
        },
        { timeoutMs: 30_000, what: 'the mirror to hold every listed account' },
      );
      const asListed = ({ id, email, emailVerified, roles, disabled, createdAt }: AccountState): AdminUser => ({
        id,
        email,
        emailVerified,
        roles,
        disabled: disabled ?? false,
        createdAt,
      });
      const byId = (a: AdminUser, b: AdminUser) => a.id.localeCompare(b.id);
      expect([...rebuilt.values()].map(asListed).sort(byId)).toEqual([...listed].sort(byId));

      const users = [...rebuilt.values()].filter((state) => state.email !== ADMIN);
      expect(users).toHaveLength(ACCOUNTS - purged);
      for (const state of users) {
        const i = Number(/^user-(\d+)\./.exec(state.email)![1]);
        expect(deleted(i)).toBe(false);
        expect(state).toEqual({
          id: state.id,
          email: address(`user-${i}`),
          emailVerified: true,
          roles: ['user'],
          displayName: `User ${i}`,
          locale: 'en',
          twoFactorEnabled: true,
          disabled: false,
          pendingDeletion: null,
          createdAt: state.createdAt,
        });
      }
    } finally {
      await mirror.stop();
    }
  }, 900_000);
});
