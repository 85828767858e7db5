import { Kafka, logLevel } from 'kafkajs';
import { generate } from 'otplib';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { capturingLogger, waitFor } from '@solar/chassis/testing';
import { AuthHarness, type Tokens } from './auth-harness';

/** Every line the service logs at debug level, while TOTP secrets, recovery codes, mfa tokens and invites go by. */
const lines: string[] = [];
const logger = capturingLogger('identity', lines, 'debug');
// The database is this file's own, so a fixed admin address cannot meet another file's.
const ADMIN = 'admin@two-factor-secrets.example.test';
// Opens in `open` mode to bootstrap the admin (register, verify), then restarts invite-only, as documented.
const h = new AuthHarness('identity-2fa-secrets', { LOG_LEVEL: 'debug', REGISTRATION_MODE: 'open', ADMIN_EMAILS: ADMIN }, logger);
const PASSWORD = 'Zebra-Quartz-Lantern-7421';
const secrets = new Set<string>();

const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(h.now.getTime() / 1000) });
const body = async <T>(response: Response, status: number): Promise<T> => {
  const text = await response.text();
  if (response.status !== status) throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  return JSON.parse(text) as T;
};

beforeAll(async () => {
  const kafka = new Kafka({ brokers: h.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [h.topic(Topics.identityWaitlist)]);
  await h.start();

  await body(await h.register(ADMIN, PASSWORD), 201);
  await body(await h.request('/auth/verify-email', { body: { token: await h.verificationTokenFor(ADMIN) } }), 200);
  await h.stopService();
  await h.startService({ REGISTRATION_MODE: 'waitlist' });
  const adminTokens = await h.signedIn(ADMIN, PASSWORD);
  const email = h.address('invitee');
  await body(await h.request('/waitlist/join', { body: { email, name: 'Invitee' } }), 202);
  const entry = await waitFor(async () => (await h.db.collection('waitlist_entries').findOne({ email })) ?? undefined, {
    what: 'the entry',
  });
  await body(await h.request(`/admin/waitlist/${String(entry._id)}/approve`, { body: {}, token: adminTokens.access_token }), 200);
  const [invitation] = await h.waitForEvents('EmailRequested', (data) => data.to === email && data.template === 'waitlist-approved');
  const invite = new URL(h.emailVariables(invitation!.event).inviteLink!).searchParams.get('invite')!;
  secrets.add(invite);
  await body(await h.request('/auth/register', { body: { email, password: PASSWORD, inviteToken: invite } }), 201);
  await body(await h.request('/auth/register', { body: { email, password: PASSWORD, inviteToken: invite } }), 400);

  await h.verifyEmail(email);
  const tokens: Tokens = await h.signedIn(email, PASSWORD);
  const { secret } = await body<{ secret: string }>(
    await h.request('/auth/2fa/enable', { body: { password: PASSWORD }, token: tokens.access_token }),
    200,
  );
  secrets.add(secret);
  const { recoveryCodes } = await body<{ recoveryCodes: string[] }>(
    await h.request('/auth/2fa/verify', { body: { password: PASSWORD, code: await codeAt(secret) }, token: tokens.access_token }),
    200,
  );
  for (const code of recoveryCodes) secrets.add(code).add(code.replace(/-/g, ''));

  const challenge = async () => {
    const { mfa_token } = await body<{ mfa_token: string }>(await h.login(email, PASSWORD), 200);
    secrets.add(mfa_token);
    return mfa_token;
  };
  h.advance(30_000);
  await body(await h.request('/auth/login/2fa', { body: { mfaToken: await challenge(), code: await codeAt(secret) } }), 200);
  await body(await h.request('/auth/login/2fa', { body: { mfaToken: await challenge(), code: await codeAt(secret) } }), 400);
  await body(await h.request('/auth/login/2fa', { body: { mfaToken: await challenge(), recoveryCode: recoveryCodes[0] } }), 200);
  await body(await h.request('/auth/login/2fa', { body: { mfaToken: await challenge(), recoveryCode: recoveryCodes[0] } }), 400);
  // Secrets in the wrong places: a malformed body, a wrong type, a query string.
  await h.request('/auth/login/2fa', { body: `{"mfaToken": "${await challenge()}", "recoveryCode": "${recoveryCodes[1]}"` });
  await h.request('/auth/login/2fa', { body: { mfaToken: [await challenge()], recoveryCode: { value: recoveryCodes[2] } } });
  await h.request(`/auth/2fa/verify?code=${secret}`, { body: { password: PASSWORD, code: 'abc' }, token: tokens.access_token });
  h.advance(30_000);
  const fresh = await body<{ recoveryCodes: string[] }>(
    await h.request('/auth/2fa/recovery-codes', { body: { password: PASSWORD, code: await codeAt(secret) }, token: tokens.access_token }),
    200,
  );
  for (const code of fresh.recoveryCodes) secrets.add(code);

  await h.waitForEvents('TwoFactorEnabled', () => true);
  await waitFor(
    async () => {
      for (const name of ['users', 'audit_log', 'waitlist_entries']) {
        if ((await h.db.collection(name).countDocuments({ 'outbox.0': { $exists: true } })) > 0) return undefined;
      }
      return true;
    },
    { what: 'empty outboxes' },
  );
}, 60_000);

afterAll(() => h.stop());

describe('two-factor and invite secrets', () => {
  it('are in no document of any collection', async () => {
    const leaks: { collection: string; secret: string }[] = [];
    for (const { name } of await h.db.db!.listCollections().toArray()) {
      const text = JSON.stringify(await h.db.collection(name).find({}).toArray());
      for (const secret of secrets) if (text.includes(secret)) leaks.push({ collection: name, secret: secret.slice(0, 6) });
    }
    expect(leaks).toEqual([]);
    // One invite, one TOTP secret, 20 recovery codes (two forms of the first ten), six mfa tokens.
    expect(secrets.size).toBeGreaterThanOrEqual(30);
  });

  it('are in no log line', () => {
    expect(lines.filter((line) => line.includes('"path":"/auth/login/2fa"')).length).toBeGreaterThan(5);
    const leaks = lines.flatMap((line) => [...secrets].filter((secret) => line.includes(secret)).map((secret) => secret.slice(0, 6)));
    expect(leaks).toEqual([]);
  });

  it('are in no event published', () => {
    const published = h.collector.messages
      .filter((m) => !m.topic.endsWith(Topics.notificationEmailRequests))
      .map((m) => `${m.message.value?.toString() ?? ''}`);
    expect(published.length).toBeGreaterThan(5);
    expect(published.filter((value) => [...secrets].some((secret) => value.includes(secret)))).toEqual([]);
  });
});
