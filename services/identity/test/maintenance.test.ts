import { Kafka, logLevel, type Producer } from 'kafkajs';
import { generate } from 'otplib';
import { MaintenanceTasks, Topics, createEvent, fromKafkaMessage, registry, toKafkaMessage, type AnyCloudEvent } from '@solar/contracts';
import { ensureTopics, type Service } from '@solar/chassis';
import { KafkaCollector, waitFor } from '@solar/chassis/testing';
import { createIdentityService } from '../src/main';
import { AuthHarness } from './auth-harness';

const DAY = 86_400_000;
const h = new AuthHarness('identity-maintenance', {
  DELETION_GRACE_PERIOD: '10s',
  UNVERIFIED_ACCOUNT_MAX_AGE: '30d',
  INACTIVE_ACCOUNT_AFTER: '180d',
  INACTIVE_ACCOUNT_WARNING_PERIOD: '14d',
  AUDIT_LOG_RETENTION: '400d',
  // One session refreshed monthly for half a year must count as activity: longer than the defaults.
  SESSION_MAX_AGE: '365d',
  SESSION_IDLE_TIMEOUT: '30d',
  // Small pages, so every task crosses page boundaries with a handful of accounts.
  MAINTENANCE_BATCH_SIZE: '3',
});
let producer: Producer;

beforeAll(async () => {
  const kafka = new Kafka({ brokers: h.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [h.topic(Topics.lifecycle)]);
  producer = kafka.producer();
  await producer.connect();
  await h.start();
});

afterAll(async () => {
  await producer?.disconnect();
  await h.stop();
});

const maintenanceDue = (task: string) => createEvent('MaintenanceDue', { source: '/lifecycle', subject: task, data: { task } });

/** Publishes MaintenanceDue to the lifecycle topic of `prefix`, as lifecycle's job would, and waits until it is handled. */
async function runTask(task: string, prefix = `${h.name}.`): Promise<void> {
  const event = maintenanceDue(task);
  await producer.send({ topic: `${prefix}${Topics.lifecycle}`, messages: [toKafkaMessage(event)] });
  await handled(event, prefix);
}

const handled = (event: AnyCloudEvent, prefix = `${h.name}.`) =>
  waitFor(
    async () => ((await h.db.collection('processed_events').findOne({ _id: `${prefix}identity:${event.id}` as never })) ? true : undefined),
    { timeoutMs: 60_000, what: `identity to handle ${event.type}` },
  );

const user = (userId: string) => h.db.collection('users').findOne({ _id: userId as never });

const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });

/** Turns two-factor on for the account (a sign-in, enable, the first code); resolves the TOTP secret. */
async function withTwoFactor(account: { email: string; password: string }): Promise<string> {
  const { access_token } = await h.signedIn(account.email, account.password);
  const enabled = await h.request('/auth/2fa/enable', { body: { password: account.password }, token: access_token });
  expect(enabled.status).toBe(200);
  const { secret } = (await enabled.json()) as { secret: string };
  const code = await codeAt(secret);
  expect((await h.request('/auth/2fa/verify', { body: { password: account.password, code }, token: access_token })).status).toBe(200);
  return secret;
}

async function verified(label: string) {
  const account = await h.registered(label);
  const token = await h.verificationTokenFor(account.email);
  expect((await h.request('/auth/verify-email', { body: { token } })).status).toBe(200);
  return account;
}

describe('purge-expired-tokens', () => {
  it('takes out tokens past their expiry, used or not, and keeps the live ones', async () => {
    const { email, userId } = await h.registered('tokens');
    expect((await h.request('/auth/request-password-reset', { body: { email } })).status).toBe(202);
    await waitFor(async () => ((await user(userId))?.tokens.length === 2 ? true : undefined));

    h.advance(2 * 3_600_000);
    await runTask(MaintenanceTasks.purgeExpiredTokens);
    expect((await user(userId))?.tokens.map((t: { purpose: string }) => t.purpose)).toEqual(['verify-email']);

    h.advance(DAY);
    await runTask(MaintenanceTasks.purgeExpiredTokens);
    expect((await user(userId))?.tokens).toEqual([]);
  });
});

describe('purge-expired-sessions', () => {
  it('removes revoked and expired sessions and idle throttles, keeping live ones', async () => {
    const { email, password } = await h.registered('sessions');
    const kept = await h.signedIn(email, password);
    const revoked = await h.signedIn(email, password);
    expect((await h.logout(revoked.access_token)).status).toBe(204);
    expect((await h.login(email, 'a wrong password')).status).toBe(401);
    const userId = String((await h.db.collection('users').findOne({ email }))!._id);

    await runTask(MaintenanceTasks.purgeExpiredSessions);
    expect(await h.db.collection('sessions').countDocuments({ userId })).toBe(1);
    expect((await h.sessions(kept.access_token)).status).toBe(200);
    // The throttle is still within its window: kept.
    expect(await h.db.collection('login_throttles').countDocuments()).toBeGreaterThan(0);

    // Past the idle limit, the live session ends as `expired`, announced like any other end, and goes
    // once that event is out.
    h.advance(31 * DAY);
    await runTask(MaintenanceTasks.purgeExpiredSessions);
    const [ended] = await h.waitForEvents('SessionRevoked', (data) => data.userId === userId && data.reason === 'expired');
    expect(ended!.event.data).toEqual({ userId, sessionId: expect.any(String), reason: 'expired' });
    expect(await h.db.collection('login_throttles').countDocuments()).toBe(0);
    await waitFor(async () => ((await h.db.collection('sessions').findOne({ userId, 'outbox.0': { $exists: true } })) ? undefined : true), {
      what: 'the relay to publish the expiry',
    });
    await runTask(MaintenanceTasks.purgeExpiredSessions);
    expect(await h.db.collection('sessions').countDocuments({ userId })).toBe(0);
  });

  it('removes the OpenID Connect provider’s expired models, keeping live ones', async () => {
    const models = h.db.collection<{ _id: string; model: string; expiresAt: Date | null }>('oidc_models');
    const at = (ms: number) => new Date(h.now.getTime() + ms);
    await models.insertMany([
      { _id: 'AuthorizationCode:spent', model: 'AuthorizationCode', expiresAt: at(-1000) },
      { _id: 'Session:live', model: 'Session', expiresAt: at(DAY) },
      { _id: 'Grant:forever', model: 'Grant', expiresAt: null },
    ]);
    await runTask(MaintenanceTasks.purgeExpiredSessions);
    expect((await models.find({}).toArray()).map((doc) => doc._id).sort()).toEqual(['Grant:forever', 'Session:live']);
  });

  it('removes passkey challenges past their time, keeping open ones', async () => {
    const challenges = h.db.collection<{ _id: string; purpose: string; expiresAt: Date }>('passkey_challenges');
    const at = (ms: number) => new Date(h.now.getTime() + ms);
    await challenges.insertMany([
      { _id: 'unanswered', purpose: 'sign-in', expiresAt: at(-1000) },
      { _id: 'open', purpose: 'sign-in', expiresAt: at(60_000) },
    ]);
    await runTask(MaintenanceTasks.purgeExpiredSessions);
    expect((await challenges.find({}).toArray()).map((doc) => doc._id)).toEqual(['open']);
  });

  it('forgets consumed event ids once they are older than the retention', async () => {
    const before = maintenanceDue('a-task-nobody-owns');
    await producer.send({ topic: h.topic(Topics.lifecycle), messages: [toKafkaMessage(before)] });
    await handled(before);
    // Consumed ids carry the real time of consumption, so the clock jumps past it.
    h.now = new Date(Math.max(h.now.getTime(), Date.now()) + 31 * DAY);
    await runTask(MaintenanceTasks.purgeExpiredSessions);
    expect(await h.db.collection('processed_events').countDocuments({ _id: `${h.name}.identity:${before.id}` as never })).toBe(0);
  });
});

describe('purge-unverified-accounts', () => {
  it('removes accounts never verified in time with UserDeleted, once, even with two replicas at it', async () => {
    const stale = await Promise.all([...Array(7).keys()].map((i) => h.registered(`unverified-${i}`)));
    const kept = await verified('verified-in-time');
    h.advance(31 * DAY);
    const fresh = await h.registered('unverified-recent');

    // A second replica on the same database, reached through topics of its own so both run the task at once.
    const prefixB = `${h.name}-b.`;
    const kafka = new Kafka({ brokers: h.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
    await ensureTopics(kafka, [`${prefixB}${Topics.lifecycle}`, `${prefixB}${Topics.identityUser}`]);
    const collectorB = new KafkaCollector(h.infra.kafkaBrokers, [`${prefixB}${Topics.identityUser}`]);
    await collectorB.start();
    const replicaB: Service = createIdentityService({ ...h.env, KAFKA_TOPIC_PREFIX: prefixB }, { clock: h.clock });
    await replicaB.start();
    try {
      await Promise.all([runTask(MaintenanceTasks.purgeUnverifiedAccounts), runTask(MaintenanceTasks.purgeUnverifiedAccounts, prefixB)]);
      for (const account of stale) expect(await user(account.userId)).toBeNull();
      expect(await user(kept.userId)).not.toBeNull();
      expect(await user(fresh.userId)).not.toBeNull();

      const deleted = await waitFor(() => {
        const all = [
          ...h.received('UserDeleted', (data) => data.reason === 'unverified'),
          ...collectorB.messages
            .filter((m) => m.message.headers?.ce_type?.toString() === registry.UserDeleted.type)
            // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- lets the test read any data field (the union has none in common); tsc fails without it
            .map((m) => fromKafkaMessage(m.message) as AnyCloudEvent & { data: Record<string, unknown> }),
        ];
        return stale.every((account) => all.some((event) => event.data.userId === account.userId)) ? all : undefined;
      });
      for (const account of stale) {
        // Either replica's relay may publish an entry (at least once); what counts is one distinct event per account.
        const mine = [
          ...new Map(deleted.filter((event) => event.data.userId === account.userId).map((event) => [event.id, event])).values(),
        ];
        expect(mine).toHaveLength(1);
        expect(mine[0]!.data).toMatchObject({
          email: account.email,
          reason: 'unverified',
          deletionRequestId: expect.stringMatching(/^unverified-/),
        });
      }
    } finally {
      await replicaB.stop();
      await collectorB.stop();
    }
  });
});

describe('a task cut short by a shutdown', () => {
  it('stops between accounts and finishes after the restart, each account removed once', async () => {
    const accounts = await Promise.all([...Array(24).keys()].map((i) => h.registered(`cut-short-${i}`)));
    h.advance(31 * DAY);
    const event = maintenanceDue(MaintenanceTasks.purgeUnverifiedAccounts);
    await producer.send({ topic: h.topic(Topics.lifecycle), messages: [toKafkaMessage(event)] });
    await h.waitForEvents('UserDeleted', (data) => accounts.some((account) => account.userId === data.userId));
    await h.stopService();
    await h.startService();
    await handled(event);
    for (const account of accounts) {
      expect(await user(account.userId)).toBeNull();
      await h.waitForEvents('UserDeleted', (data) => data.userId === account.userId);
    }
    for (const account of accounts) {
      const ids = new Set(h.received('UserDeleted', (data) => data.userId === account.userId).map((e) => e.id));
      expect(ids.size).toBe(1);
    }
  });
});

describe('review-inactive-accounts', () => {
  it('warns after the inactivity period, requests deletion after the warning, and a sign-in cancels it', async () => {
    const idle = await verified('idle');
    const active = await verified('active');
    const refreshing = await verified('refreshing');
    const requested = await verified('requested-itself');
    await h.signedIn(idle.email, idle.password);
    let session = await h.signedIn(refreshing.email, refreshing.password);
    const own = await h.signedIn(requested.email, requested.password);
    expect((await h.request('/auth/request-deletion', { token: own.access_token, body: { password: requested.password } })).status).toBe(
      202,
    );

    // Half a year passes: one account signs in again, one only keeps refreshing its session.
    for (let month = 0; month < 7; month++) {
      h.advance(26 * DAY);
      const refreshed = await h.refresh(session.refresh_token);
      expect(refreshed.status).toBe(200);
      session = (await refreshed.json()) as typeof session;
    }
    await h.signedIn(active.email, active.password);

    await runTask(MaintenanceTasks.reviewInactiveAccounts);
    const signInBy = new Date(h.now.getTime() + 14 * DAY).toISOString();
    const [warning] = await h.waitForEvents('EmailRequested', (d) => d.to === idle.email && d.template === 'inactive-account-warning');
    expect(h.emailVariables(warning!.event)).toEqual({ signInBy, signInLink: 'https://app.solar.test/login' });
    for (const other of [active, refreshing, requested]) {
      expect(h.received('EmailRequested', (d) => d.to === other.email && d.template === 'inactive-account-warning')).toHaveLength(0);
    }
    // Again the same day: nobody is warned twice, and the warning period has not passed.
    await runTask(MaintenanceTasks.reviewInactiveAccounts);
    expect(h.received('EmailRequested', (d) => d.to === idle.email && d.template === 'inactive-account-warning')).toHaveLength(1);
    expect((await user(idle.userId))?.deletion).toBeNull();

    h.advance(15 * DAY);
    await runTask(MaintenanceTasks.reviewInactiveAccounts);
    const [deletionRequested] = await h.waitForEvents('DeletionRequested', (d) => d.userId === idle.userId);
    expect(deletionRequested!.event.data).toMatchObject({
      reason: 'inactivity',
      purgeAt: new Date(h.now.getTime() + 10_000).toISOString(),
    });
    await h.waitForEvents('EmailRequested', (d) => d.to === idle.email && d.template === 'deletion-requested');
    expect((await user(idle.userId))?.deletion).toMatchObject({ reason: 'inactivity' });

    // Signing in cancels a deletion inactivity started, not one the owner asked for.
    const back = await h.signedIn(idle.email, idle.password);
    const [cancelled] = await h.waitForEvents('DeletionCancelled', (d) => d.userId === idle.userId);
    expect(cancelled!.event.data.deletionRequestId).toBe(deletionRequested!.event.data.deletionRequestId);
    await h.waitForEvents('EmailRequested', (d) => d.to === idle.email && d.template === 'deletion-cancelled');
    expect((await (await h.request('/users/me', { token: back.access_token })).json()) as { deletion: unknown }).toMatchObject({
      deletion: null,
    });
    await h.signedIn(requested.email, requested.password);
    expect((await user(requested.userId))?.deletion).toMatchObject({ reason: 'requested' });
    expect(h.received('DeletionCancelled', (d) => d.userId === requested.userId)).toHaveLength(0);
  });
});

describe('review-inactive-accounts with two-factor sign-in', () => {
  it('counts only a completed second factor as a sign-in: it cancels the inactivity deletion', async () => {
    const account = await verified('idle-2fa');
    const secret = await withTwoFactor(account);
    h.advance(181 * DAY);
    await runTask(MaintenanceTasks.reviewInactiveAccounts);
    await h.waitForEvents('EmailRequested', (d) => d.to === account.email && d.template === 'inactive-account-warning');
    h.advance(15 * DAY);
    await runTask(MaintenanceTasks.reviewInactiveAccounts);
    const [requested] = await h.waitForEvents('DeletionRequested', (d) => d.userId === account.userId);
    expect(requested!.event.data).toMatchObject({ reason: 'inactivity' });

    // The password alone opens no session: nothing is cancelled yet.
    const challenge = await h.login(account.email, account.password);
    expect(challenge.status).toBe(200);
    const { mfa_token } = (await challenge.json()) as { mfa_token: string };
    expect((await user(account.userId))?.deletion).toMatchObject({ reason: 'inactivity' });

    const completed = await h.request('/auth/login/2fa', { body: { mfaToken: mfa_token, code: await codeAt(secret) } });
    expect(completed.status).toBe(200);
    const [cancelled] = await h.waitForEvents('DeletionCancelled', (d) => d.userId === account.userId);
    expect(cancelled!.event.data.deletionRequestId).toBe(requested!.event.data.deletionRequestId);
    expect(await user(account.userId)).toMatchObject({ deletion: null, lastSignInAt: h.now, inactivityWarnedAt: null });
    expect(await h.db.collection('audit_log').findOne({ userId: account.userId, action: 'deletion_cancelled' })).toMatchObject({
      details: { by: 'sign_in' },
    });
  });
});

describe('prune-audit-log', () => {
  it('removes entries older than the retention and keeps the rest', async () => {
    const old = await h.registered('audit-old');
    h.advance(300 * DAY);
    const recent = await h.registered('audit-recent');
    h.advance(101 * DAY);
    await runTask(MaintenanceTasks.pruneAuditLog);
    expect(await h.db.collection('audit_log').countDocuments({ userId: old.userId })).toBe(0);
    expect(await h.db.collection('audit_log').countDocuments({ userId: recent.userId })).toBeGreaterThan(0);
  });
});
