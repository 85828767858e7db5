import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Topics, fromKafkaMessage, registry, type EventType } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, type CollectedMessage } from '@solar/chassis/testing';
import { TestStack } from './support/stack';
import { apiClient, expectJson } from './support/api-client';

const stack = new TestStack('account-events-e2e');
const topics = [
  Topics.identityUser,
  Topics.identityUserState,
  Topics.identitySecurity,
  Topics.identityWaitlist,
  Topics.notificationEmailRequests,
].map((t) => stack.topic(t));
const collector = new KafkaCollector(stack.infra.kafkaBrokers, topics);
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const ADMIN = address('admin');
const PASSWORD = 'a long and proper password';
const ADMIN_ROLE_CLI = join(__dirname, '../../services/identity/dist/src/cli/admin-role.js');
/** What the issue promises: an integrator sees each change within this long. */
const WITHIN_MS = 2_000;
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let adminToken: string;

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const login = async (email: string) => expectJson<Tokens>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
const dataOf = (m: CollectedMessage) => fromKafkaMessage(m.message).data as Record<string, unknown>;
const userIdOf = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;

/** The one event of this type that matches, waited for with the promised deadline (not a sleep). */
async function published(name: EventType, matches: (data: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  const [message] = await collector.waitForCount(
    (m) => m.message.headers?.ce_type?.toString() === registry[name].type && matches(dataOf(m)),
    1,
    WITHIN_MS,
  );
  return dataOf(message!);
}

function adminRole(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [ADMIN_ROLE_CLI, ...args], { env: { ...process.env, ...stack.identityEnv() } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  await stack.startIdentity({ ADMIN_EMAILS: ADMIN });
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
  adminToken = await stack.signUpVerified(ADMIN, PASSWORD);
});

afterAll(async () => {
  await collector.stop();
  await stack.stop();
});

describe('every state change is published', () => {
  it('publishes SessionRevoked for a logout, one per session for a logout everywhere', async () => {
    const email = address('logout');
    await stack.signUp(email, PASSWORD);
    const first = await login(email);
    const userId = userIdOf(first.access_token);
    const sessionOf = async (tokens: Tokens) =>
      (
        await expectJson<{ sessions: { id: string; current: boolean }[] }>(
          await call('/users/me/sessions', { token: tokens.access_token }),
          200,
        )
      ).sessions.find((s) => s.current)!.id;
    const firstSession = await sessionOf(first);

    expect((await call('/auth/logout', { token: first.access_token, body: {} })).status).toBe(204);
    expect(await published('SessionRevoked', (d) => d.sessionId === firstSession)).toEqual({
      userId,
      sessionId: firstSession,
      reason: 'logout',
    });

    const [a, b] = [await login(email), await login(email)];
    const sessions = [await sessionOf(a), await sessionOf(b)];
    expect((await call('/auth/logout', { token: a.access_token, body: { all: true } })).status).toBe(204);
    for (const sessionId of sessions) {
      expect(await published('SessionRevoked', (d) => d.sessionId === sessionId)).toEqual({ userId, sessionId, reason: 'logout_all' });
    }
  });

  it('publishes SessionRevoked when a user ends one of their sessions', async () => {
    const email = address('revoke');
    await stack.signUp(email, PASSWORD);
    const [keep, other] = [await login(email), await login(email)];
    const { sessions } = await expectJson<{ sessions: { id: string; current: boolean }[] }>(
      await call('/users/me/sessions', { token: keep.access_token }),
      200,
    );
    const target = sessions.find((s) => !s.current)!.id;
    expect((await call(`/users/me/sessions/${target}`, { method: 'DELETE', token: keep.access_token })).status).toBe(204);
    expect(await published('SessionRevoked', (d) => d.sessionId === target)).toEqual({
      userId: userIdOf(other.access_token),
      sessionId: target,
      reason: 'revoked',
    });
  });

  it('publishes RolesChanged, and the new state, for admin:role grant and revoke', async () => {
    const email = address('promoted');
    await stack.signUpVerified(email, PASSWORD);
    const userId = userIdOf((await login(email)).access_token);

    expect(await adminRole('grant', email)).toMatchObject({ code: 0 });
    expect(await published('RolesChanged', (d) => d.userId === userId && (d.granted as string[]).length > 0)).toEqual({
      userId,
      roles: ['user', 'admin'],
      granted: ['admin'],
      revoked: [],
    });
    expect(await adminRole('revoke', email)).toMatchObject({ code: 0 });
    expect(await published('RolesChanged', (d) => d.userId === userId && (d.revoked as string[]).length > 0)).toEqual({
      userId,
      roles: ['user'],
      granted: [],
      revoked: ['admin'],
    });
    // The state topic's last record for the account says the same.
    await collector.waitForCount(
      (m) => m.message.key?.toString() === userId && m.topic === stack.topic(Topics.identityUserState),
      1,
      WITHIN_MS,
    );
    const states = collector.messages.filter(
      (m) => m.topic === stack.topic(Topics.identityUserState) && m.message.key?.toString() === userId,
    );
    expect(JSON.parse(states.at(-1)!.message.value!.toString())).toMatchObject({ id: userId, roles: ['user'], emailVerified: true });
  });

  it('publishes ProfileUpdated with the fields that changed', async () => {
    const email = address('renamed');
    const token = await stack.signUp(email, PASSWORD);
    const userId = userIdOf(token);
    await expectJson(await call('/users/me', { method: 'PATCH', token, body: { displayName: 'Grace', locale: 'de' } }), 200);
    expect(await published('ProfileUpdated', (d) => d.userId === userId)).toEqual({ userId, displayName: 'Grace', locale: 'de' });
  });

  it('publishes WaitlistRejected when an admin rejects an entry', async () => {
    const email = address('rejected');
    expect((await call('/waitlist/join', { body: { email } })).status).toBe(202);
    const joined = await collector.waitForCount(
      (m) => m.message.headers?.ce_type?.toString() === registry.WaitlistJoined.type && dataOf(m).email === email,
      1,
    );
    const entryId = dataOf(joined[0]!).waitlistEntryId as string;
    await expectJson(await call(`/admin/waitlist/${entryId}/reject`, { token: adminToken, body: {} }), 200);
    expect(await published('WaitlistRejected', (d) => d.waitlistEntryId === entryId)).toEqual({
      waitlistEntryId: entryId,
      email,
      rejectedBy: userIdOf(adminToken),
    });
  });
});
