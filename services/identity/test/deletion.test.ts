import { createHash } from 'node:crypto';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { generate } from 'otplib';
import { Topics, createEvent, toKafkaMessage, type AnyCloudEvent } from '@solar/contracts';
import { ensureTopics, parseKeyRing } from '@solar/chassis';
import { SoftwareAuthenticator, waitFor } from '@solar/chassis/testing';
import { createPseudonymiser } from '../src/deletion/pseudonym';
import { AuthHarness } from './auth-harness';

const GRACE_MS = 10_000;
const h = new AuthHarness('identity-deletion', { DELETION_GRACE_PERIOD: '10s', LOGIN_MAX_FAILURES: '3' });
const pseudonym = createPseudonymiser(parseKeyRing(h.env.DATA_ENCRYPTION_KEYS!));
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

const requestDeletion = (accessToken: string, password: string) =>
  h.request('/auth/request-deletion', { token: accessToken, body: { password } });
const cancelDeletion = (accessToken: string) => h.request('/auth/cancel-deletion', { method: 'POST', token: accessToken });
const profile = async (accessToken: string) =>
  (await (await h.request('/users/me', { token: accessToken })).json()) as Record<string, unknown>;

/** Publishes a lifecycle event as lifecycle would, and waits until identity's consumer has handled it. */
async function deliver(event: AnyCloudEvent): Promise<void> {
  await producer.send({ topic: h.topic(Topics.lifecycle), messages: [toKafkaMessage(event)] });
  await handled(event.id);
}

const handled = (eventId: string) =>
  waitFor(
    async () =>
      (await h.db.collection('processed_events').findOne({ _id: `${h.topic('identity')}:${eventId}` as never })) ? true : undefined,
    {
      timeoutMs: 30_000,
      what: `identity to handle event ${eventId}`,
    },
  );

const gracePeriodExpired = (userId: string, deletionRequestId: string) =>
  createEvent('DeletionGracePeriodExpired', { source: '/lifecycle', subject: userId, data: { userId, deletionRequestId } });

/** A signed-in account with a pending deletion; resolves its ids and the pending request. */
async function pendingDeletion(label: string) {
  const account = await h.registered(label);
  const tokens = await h.signedIn(account.email, account.password);
  const response = await requestDeletion(tokens.access_token, account.password);
  expect(response.status).toBe(202);
  const [requested] = await h.waitForEvents('DeletionRequested', (data) => data.userId === account.userId);
  return { ...account, tokens, deletionRequestId: String(requested!.event.data.deletionRequestId) };
}

async function problem(response: Response) {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return { status: response.status, ...((await response.json()) as { code: string }) };
}

describe('request-deletion and cancel-deletion', () => {
  it('marks the account pending for the grace period, shows it on /users/me, and announces it once', async () => {
    const { email, password, userId } = await h.registered('request');
    const { access_token } = await h.signedIn(email, password);
    expect((await profile(access_token)).deletion).toBeNull();

    const response = await requestDeletion(access_token, password);
    expect(response.status).toBe(202);
    const purgeAt = new Date(h.now.getTime() + GRACE_MS).toISOString();
    const body = (await response.json()) as { deletion: unknown };
    expect(body.deletion).toEqual({ requestedAt: h.now.toISOString(), purgeAt, reason: 'requested' });
    expect((await profile(access_token)).deletion).toEqual(body.deletion);

    const [requested] = await h.waitForEvents('DeletionRequested', (data) => data.userId === userId);
    expect(requested!.topic).toBe(h.topic(Topics.identityUser));
    expect(requested!.event.data).toMatchObject({ userId, email, purgeAt, reason: 'requested' });
    const [email1] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'deletion-requested');
    expect(email1!.event.data.variables).toEqual({ purgeAt });
    expect(h.emailVariables(email1!.event)).toEqual({ purgeAt, cancelLink: 'https://app.solar.test/settings/account?cancel-deletion=1' });

    // Asking again answers the pending deletion and changes nothing.
    h.advance(1_000);
    const again = await requestDeletion(access_token, password);
    expect(again.status).toBe(200);
    expect(((await again.json()) as { deletion: unknown }).deletion).toEqual(body.deletion);
    const audit = await h.db.collection('audit_log').find({ userId, action: 'deletion_requested' }).toArray();
    expect(audit.map((entry) => entry.outcome)).toEqual(['success']);
    // The account stays usable meanwhile.
    expect((await h.login(email, password)).status).toBe(200);
    expect(h.received('DeletionRequested', (data) => data.userId === userId)).toHaveLength(1);
  });

  it('cancels a pending deletion: DeletionCancelled, the email, the audit entry, and /users/me clears', async () => {
    const { email, tokens, userId, deletionRequestId } = await pendingDeletion('cancel');
    const response = await cancelDeletion(tokens.access_token);
    expect(response.status).toBe(200);
    expect((await profile(tokens.access_token)).deletion).toBeNull();
    const [cancelled] = await h.waitForEvents('DeletionCancelled', (data) => data.userId === userId);
    expect(cancelled!.event.data).toEqual({ userId, deletionRequestId });
    await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'deletion-cancelled');
    expect(await h.db.collection('audit_log').findOne({ userId, action: 'deletion_cancelled' })).toMatchObject({
      outcome: 'success',
      details: { deletionRequestId, by: 'owner' },
    });

    // Nothing pending any more: a second cancel is a conflict, and nothing more is announced.
    expect(await problem(await cancelDeletion(tokens.access_token))).toMatchObject({ status: 409, code: 'conflict' });
    expect(h.received('DeletionCancelled', (data) => data.userId === userId)).toHaveLength(1);
  });

  it('answers 409 to a cancel when nothing was ever pending', async () => {
    const { email, password } = await h.registered('cancel-none');
    const { access_token } = await h.signedIn(email, password);
    expect(await problem(await cancelDeletion(access_token))).toMatchObject({ status: 409, code: 'conflict' });
  });

  it('refuses a wrong password, counts it like a failed sign-in, and locks after the limit', async () => {
    const { email, password, userId } = await h.registered('wrong-password');
    const { access_token } = await h.signedIn(email, password);
    expect(await problem(await requestDeletion(access_token, 'not my password'))).toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
    const throttle = await h.db.collection('login_throttles').findOne({ _id: sha256(email) as never });
    expect(throttle).toMatchObject({ failures: 1 });
    expect(await h.db.collection('audit_log').findOne({ userId, action: 'deletion_requested' })).toMatchObject({
      outcome: 'failure',
      details: { reason: 'bad_password' },
    });

    await requestDeletion(access_token, 'guess two');
    await requestDeletion(access_token, 'guess three');
    // Locked now: even the right password is refused, and nothing was requested.
    expect(await problem(await requestDeletion(access_token, password))).toMatchObject({ status: 423, code: 'account_locked' });
    expect((await h.db.collection('users').findOne({ _id: userId as never }))?.deletion).toBeNull();
    expect(h.received('DeletionRequested', (data) => data.userId === userId)).toHaveLength(0);
  });

  it('needs a signed-in caller and a valid body', async () => {
    expect(await problem(await h.request('/auth/request-deletion', { body: { password: 'x' } }))).toMatchObject({ status: 401 });
    expect(await problem(await h.request('/auth/cancel-deletion', { method: 'POST' }))).toMatchObject({ status: 401 });
    const { email, password } = await h.registered('bad-body');
    const { access_token } = await h.signedIn(email, password);
    for (const body of [{}, { password: '' }, { password: 42 }, { password: 'x'.repeat(1025) }, { password, extra: true }, '[]']) {
      expect(await problem(await h.request('/auth/request-deletion', { token: access_token, body }))).toMatchObject({ status: 400 });
    }
  });
});

describe('the purge on DeletionGracePeriodExpired', () => {
  it('purges nothing for a stale or forged request id, nor a moment before purgeAt', async () => {
    const { email, password, userId, deletionRequestId } = await pendingDeletion('not-yet');
    await deliver(gracePeriodExpired(userId, 'some-other-request'));
    h.advance(GRACE_MS - 2_001);
    // Due in 2.001 s: beyond the clock-skew allowance, so this early event is dropped, not waited out.
    await deliver(gracePeriodExpired(userId, deletionRequestId));
    await deliver(gracePeriodExpired('no-such-user', deletionRequestId));
    expect((await h.db.collection('users').findOne({ _id: userId as never }))?.deletion).toMatchObject({
      requestId: deletionRequestId,
      purgeStartedAt: null,
    });
    expect((await h.login(email, password)).status).toBe(200);
    expect(h.received('UserDeleted', (data) => data.userId === userId)).toHaveLength(0);
  });

  it('purges nothing once the deletion was cancelled, even at purgeAt', async () => {
    const { email, password, tokens, userId, deletionRequestId } = await pendingDeletion('cancelled-then-due');
    expect((await cancelDeletion(tokens.access_token)).status).toBe(200);
    h.advance(GRACE_MS);
    await deliver(gracePeriodExpired(userId, deletionRequestId));
    expect((await h.login(email, password)).status).toBe(200);
    expect(h.received('UserDeleted', (data) => data.userId === userId)).toHaveLength(0);
  });

  it('purges at purgeAt: sign-in fails, UserDeleted once, audit pseudonymised, nothing personal left; a repeat does nothing', async () => {
    const { email, password, userId, deletionRequestId, tokens } = await pendingDeletion('purged');
    expect((await h.login(email, 'a wrong password')).status).toBe(401);
    // What the OpenID Connect provider keeps of an account that signed in to an app.
    await h.db.collection('oidc_models').insertOne({
      _id: `AccessToken:${userId}-app` as never,
      model: 'AccessToken',
      payload: { accountId: userId, clientId: 'app-client' },
      grantId: 'grant-1',
      expiresAt: new Date(h.now.getTime() + 3_600_000),
    });
    await h.db
      .collection('oauth_consents')
      .insertOne({ _id: `${userId}:app-client` as never, userId, clientId: 'app-client', scopes: ['openid'], grantedAt: h.now });
    await h.db
      .collection('oidc_session_links')
      .insertOne({ _id: 'oidc-session-1' as never, userId, sessionId: 'session-1', linkedAt: h.now });
    // A passkey (adding one needs a verified address).
    await h.verifyEmail(email);
    const creation = await h.request('/auth/passkeys/registration/options', { body: { password }, token: tokens.access_token });
    const { options } = (await creation.json()) as { options: { challenge: string } };
    const credential = new SoftwareAuthenticator('app.solar.test', 'https://app.solar.test').register(options);
    const added = await h.request('/auth/passkeys/registration/verify', {
      body: { name: 'Phone', credential },
      token: tokens.access_token,
    });
    expect(added.status).toBe(201);
    h.advance(GRACE_MS);
    const expired = gracePeriodExpired(userId, deletionRequestId);
    await deliver(expired);

    expect(await h.db.collection('users').findOne({ _id: userId as never })).toBeNull();

    const [deleted] = await h.waitForEvents('UserDeleted', (data) => data.userId === userId);
    expect(deleted!.topic).toBe(h.topic(Topics.identityUser));
    expect(deleted!.event.data).toEqual({ userId, email, deletionRequestId, reason: 'requested', locale: 'en' });

    // The audit trail stays, under a pseudonym, with what happened and when.
    const trail = await h.db
      .collection('audit_log')
      .find({ userId: pseudonym('user', userId) })
      .toArray();
    expect(trail.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['register', 'login', 'deletion_requested', 'account_deleted']),
    );
    for (const entry of trail) {
      expect(entry.ip === 'system' || String(entry.ip).startsWith('pseudo:')).toBe(true);
      expect(entry.userAgent).toBe('');
      expect(entry.at).toBeInstanceOf(Date);
    }
    expect(await h.db.collection('audit_log').countDocuments({ 'details.email': pseudonym('email', email) })).toBeGreaterThan(0);

    // Once the tombstone has published UserDeleted, no collection holds the id, the address or its hash.
    await waitFor(
      async () =>
        (await h.db.collection('deleted_accounts').findOne({ _id: deletionRequestId as never }))?.outbox.length === 0 ? true : undefined,
      {
        what: 'the tombstone outbox to empty',
      },
    );
    const collections = (await h.db.listCollections()).map(({ name }) => name);
    expect(collections).toEqual(
      expect.arrayContaining(['users', 'sessions', 'passkeys', 'audit_log', 'login_throttles', 'deleted_accounts', 'processed_events']),
    );
    for (const name of collections) {
      const text = JSON.stringify(await h.db.collection(name).find({}).toArray());
      expect({ name, userId: text.includes(userId) }).toEqual({ name, userId: false });
      expect({ name, email: text.includes(email) }).toEqual({ name, email: false });
      expect({ name, throttle: text.includes(sha256(email)) }).toEqual({ name, throttle: false });
    }

    // Gone for its owner too (checked after the scan: a failed sign-in is itself recorded under the address).
    expect(await problem(await h.login(email, password))).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect((await h.request('/users/me', { token: tokens.access_token })).status).toBe(401);
    expect((await h.refresh(tokens.refresh_token)).status).toBe(401);

    // The same event again (redelivery) and the same request again (lifecycle's sweep) change nothing.
    await producer.send({ topic: h.topic(Topics.lifecycle), messages: [toKafkaMessage(expired)] });
    await deliver(gracePeriodExpired(userId, deletionRequestId));
    expect(h.received('UserDeleted', (data) => data.userId === userId)).toHaveLength(1);
    expect(
      await h.db.collection('audit_log').countDocuments({ action: 'account_deleted', 'details.deletionRequestId': deletionRequestId }),
    ).toBe(1);
  });

  it('finishes a purge that stopped half-way, still with a single UserDeleted', async () => {
    const { userId, deletionRequestId, email } = await pendingDeletion('resumed');
    h.advance(GRACE_MS);
    // As if a replica had marked the purge and crashed before the next step.
    await h.db.collection('users').updateOne({ _id: userId as never }, { $set: { 'deletion.purgeStartedAt': h.now } });
    await deliver(gracePeriodExpired(userId, deletionRequestId));
    expect(await h.db.collection('users').findOne({ _id: userId as never })).toBeNull();
    const [deleted] = await h.waitForEvents('UserDeleted', (data) => data.userId === userId);
    expect(deleted!.event.data).toMatchObject({ email, deletionRequestId });
    await deliver(gracePeriodExpired(userId, deletionRequestId));
    expect(h.received('UserDeleted', (data) => data.userId === userId)).toHaveLength(1);
  });

  it('lets no two-factor sign-in complete once the purge has begun', async () => {
    const { email, password, tokens, userId } = await pendingDeletion('two-factor-too-late');
    const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
    await h.verifyEmail(email);
    const enabled = await h.request('/auth/2fa/enable', { body: { password }, token: tokens.access_token });
    expect(enabled.status).toBe(200);
    const { secret } = (await enabled.json()) as { secret: string };
    expect(
      (await h.request('/auth/2fa/verify', { body: { password, code: await codeAt(secret) }, token: tokens.access_token })).status,
    ).toBe(200);
    const challenge = await h.login(email, password);
    expect(challenge.status).toBe(200);
    const { mfa_token } = (await challenge.json()) as { mfa_token: string };

    // The purge begins between the password and the code.
    await h.db.collection('users').updateOne({ _id: userId as never }, { $set: { 'deletion.purgeStartedAt': h.now } });
    h.advance(30_000);
    const answer = await h.request('/auth/login/2fa', { body: { mfaToken: mfa_token, code: await codeAt(secret) } });
    expect(await problem(answer)).toMatchObject({ status: 400, code: 'token_invalid' });
    expect(await h.db.collection('sessions').countDocuments({ userId })).toBe(1);
    expect(await problem(await h.login(email, password))).toMatchObject({ status: 401, code: 'invalid_credentials' });
  });

  it('refuses a cancel once the purge has begun', async () => {
    const { tokens, userId } = await pendingDeletion('too-late');
    await h.db.collection('users').updateOne({ _id: userId as never }, { $set: { 'deletion.purgeStartedAt': h.now } });
    expect(await problem(await cancelDeletion(tokens.access_token))).toMatchObject({ status: 409, code: 'conflict' });
    expect(h.received('DeletionCancelled', (data) => data.userId === userId)).toHaveLength(0);
  });
});

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
