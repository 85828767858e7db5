import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { strFromU8, unzipSync } from 'fflate';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { generate } from 'otplib';
import {
  createEvent,
  dataExportPartEvents,
  fromKafkaMessage,
  isEvent,
  registry,
  toKafkaMessage,
  Topics,
  type EventType,
} from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, mongoUrlFor, waitFor, type CollectedMessage } from '@solar/chassis/testing';
import { apiClient, expectJson, expectProblem } from './support/api-client';
import { TestStack } from './support/stack';

const stack = new TestStack('data-export-e2e');
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'data-export-e2e', logLevel: logLevel.NOTHING });
const topics = [Topics.identityUser, Topics.identityDataExportParts, Topics.notificationEmailRequests, Topics.lifecycle].map((t) =>
  stack.topic(t),
);
const collector = new KafkaCollector(stack.infra.kafkaBrokers, topics);
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let db: Connection;
let producer: Producer;
let participant: Consumer;

/** The extra participant this test registers through DATA_EXPORT_PARTICIPANTS, answering unless told not to. */
const TEST_PARTICIPANT = 'test-consumer';
const silentFor = new Set<string>();
/** Users for whom the test participant answers with text that is not JSON. */
const garbledFor = new Set<string>();

// Identity's clock, moved by the tests: TOTP steps, and a deadline passed without sleeping.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const PASSWORD = 'a long and proper password';
const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(clock().getTime() / 1000) });

/** The exporter's audit trail in the archive, newest first. */
const AUDIT_TRAIL = [
  ['data_export_requested', 'success'],
  ['password_reset_requested', 'success'],
  ['two_factor_enabled', 'success'],
  ['two_factor_setup_started', 'success'],
  ['login', 'success'],
  ['login', 'success'],
  ['email_verified', 'success'],
  ['register', 'success'],
];

interface Tokens {
  access_token: string;
}

async function signUp(label: string): Promise<{ email: string; tokens: Tokens }> {
  const email = address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  await expectJson(await call('/auth/verify-email', { body: { token: await stack.emailedToken(collector, email, 'verify-email') } }), 200);
  return { email, tokens: await expectJson<Tokens>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200) };
}

const eventsOf = (name: EventType) => (m: CollectedMessage) => m.message.headers?.ce_type?.toString() === registry[name].type;
const dataOf = (m: CollectedMessage) => fromKafkaMessage(m.message).data as Record<string, unknown>;

function schemaValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  const dir = path.resolve(__dirname, '../../contracts/schemas/data-export');
  const validatorOf = (file: string) => ajv.compile(JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as object);
  const known = new Map(['identity.json', 'notification.json', 'lifecycle.json'].map((file) => [file, validatorOf(file)]));
  const participant = validatorOf('participant.json');
  return (file: string, value: unknown) => {
    const validate = known.get(file) ?? participant;
    expect({ file, valid: validate(value), errors: validate.errors ?? null }).toEqual({ file, valid: true, errors: null });
  };
}

beforeAll(async () => {
  await ensureTopics(kafka, topics);
  producer = kafka.producer();
  await producer.connect();
  participant = kafka.consumer({ groupId: `${stack.name}-${TEST_PARTICIPANT}` });
  await participant.connect();
  await participant.subscribe({ topics: [stack.topic(Topics.identityUser)], fromBeginning: true });
  await participant.run({
    eachMessage: async ({ message }) => {
      const event = fromKafkaMessage(message);
      if (!isEvent(event, 'DataExportRequested') || silentFor.has(event.data.userId)) return;
      const { exportId, userId } = event.data;
      const part = { favouriteColour: 'teal', userId };
      const events = garbledFor.has(userId)
        ? [
            createEvent('DataExportPartReady', {
              source: `/${TEST_PARTICIPANT}`,
              subject: exportId,
              data: { exportId, service: TEST_PARTICIPANT, chunk: 0, chunks: 1, part: '{"favouriteColour": "teal"' },
            }),
          ]
        : dataExportPartEvents({ exportId, service: TEST_PARTICIPANT, data: part, time: new Date() });
      await producer.send({ topic: stack.topic(Topics.identityDataExportParts), messages: events.map(toKafkaMessage) });
    },
  });
  await stack.startIdentity(
    { DATA_EXPORT_PARTICIPANTS: `identity,notification,lifecycle,${TEST_PARTICIPANT}`, ADMIN_EMAILS: address('admin') },
    { clock },
  );
  await stack.startNotification();
  await stack.startLifecycle();
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
  db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
});

afterAll(async () => {
  await participant?.disconnect();
  await producer?.disconnect();
  await collector.stop();
  await stack.stop();
  await db?.close();
});

it('refuses a wrong password and starts nothing', async () => {
  const { tokens } = await signUp('wrong-password');
  await expectProblem(
    await call('/users/me/export', { token: tokens.access_token, body: { password: 'not the password' } }),
    401,
    'invalid_credentials',
  );
  expect(await db.collection('data_exports').countDocuments({})).toBe(0);
});

it('exports exactly the person’s data from every participant, once, and once a day', async () => {
  const other = await signUp('someone-else');
  const { email, tokens } = await signUp('exporter');
  // A second session, then two-factor on: audit entries and emails of several kinds.
  await expectJson(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
  const { secret } = await expectJson<{ secret: string }>(
    await call('/auth/2fa/enable', { token: tokens.access_token, body: { password: PASSWORD } }),
    200,
  );
  const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(
    await call('/auth/2fa/verify', { token: tokens.access_token, body: { password: PASSWORD, code: await codeAt(secret) } }),
    200,
  );
  offsetMs += 30_000;
  // A third email; and a passkey, written as the passkey feature stores one (a browser ceremony is the page tests' part).
  await expectJson(await call('/auth/request-password-reset', { body: { email } }), 202);
  const userId = String((await db.collection('users').findOne({ email }))!._id);
  const credentialId = `credential-${stack.name}`;
  const publicKey = `public-key-${stack.name}`;
  const passkeyAdded = new Date('2026-01-02T03:04:05.000Z');
  await db.collection('passkeys').insertOne({
    _id: credentialId as never,
    userId,
    name: 'Work laptop',
    publicKey,
    counter: 0,
    transports: ['internal'],
    deviceType: 'multiDevice',
    backedUp: true,
    aaguid: '00000000-0000-0000-0000-000000000000',
    createdAt: passkeyAdded,
    lastUsedAt: null,
  });
  await stack.emailedToken(collector, email, 'password-reset');

  await expectProblem(await call('/users/me/export', { token: tokens.access_token, body: { password: PASSWORD } }), 400, 'invalid_code');
  const started = await expectJson<{ exportId: string; deadline: string }>(
    await call('/users/me/export', { token: tokens.access_token, body: { password: PASSWORD, code: await codeAt(secret) } }),
    202,
  );

  const token = await stack.emailedToken(collector, email, 'data-export-ready');
  const [completed] = await collector.waitForCount((m) => eventsOf('DataExportCompleted')(m) && dataOf(m).exportId === started.exportId, 1);
  expect(dataOf(completed!).services).toEqual(['identity', 'notification', 'lifecycle', TEST_PARTICIPANT]);

  const download = await expectJson<{ archive: string; contentType: string }>(
    await call('/data-exports/download', { body: { token } }),
    200,
  );
  const files = unzipSync(Buffer.from(download.archive, 'base64'));
  expect(Object.keys(files).sort()).toEqual([
    'README.md',
    'identity.json',
    'lifecycle.json',
    'notification.json',
    `${TEST_PARTICIPANT}.json`,
  ]);
  const validate = schemaValidator();
  const json = Object.fromEntries(
    Object.entries(files)
      .filter(([name]) => name.endsWith('.json'))
      .map(([name, bytes]) => [name, JSON.parse(strFromU8(bytes)) as { data: Record<string, unknown> }]),
  );
  for (const [name, file] of Object.entries(json)) validate(name, file);

  const identity = json['identity.json']!.data as {
    account: { email: string; twoFactorEnabled: boolean };
    sessions: unknown[];
    passkeys: unknown[];
    auditLog: { action: string; outcome: string }[];
  };

  expect(identity.account).toMatchObject({ email, twoFactorEnabled: true });
  expect(identity.sessions).toHaveLength(2);
  expect(identity.passkeys).toEqual([{ name: 'Work laptop', createdAt: passkeyAdded.toISOString(), lastUsedAt: null, backedUp: true }]);
  // Newest first, every entry of this account and nothing else.
  expect(identity.auditLog.map((entry) => [entry.action, entry.outcome])).toEqual(AUDIT_TRAIL);
  const notification = json['notification.json']!.data as { emails: { to: string; template: string }[] };
  expect(notification.emails.map((mail) => [mail.to, mail.template])).toEqual(
    ['password-reset', 'two-factor-enabled', 'verify-email'].map((template) => [email, template]),
  );
  expect(json[`${TEST_PARTICIPANT}.json`]!.data).toEqual({ favouriteColour: 'teal', userId });
  expect(strFromU8(files['README.md']!)).toContain('`data.account.email`');

  // Nothing secret, nothing of anyone else.
  const everything = Object.values(files)
    .map((bytes) => strFromU8(bytes))
    .join('\n');
  const user = await db.collection('users').findOne({ email });
  const otherId = String((await db.collection('users').findOne({ email: other.email }))!._id);
  const sessionIds = (
    await db
      .collection('sessions')
      .find({ userId: String(user!._id) })
      .toArray()
  ).map((s) => String(s._id));
  const forbiddenValues = [user!.passwordHash as string, secret, ...recoveryCodes, other.email, otherId, ...sessionIds];
  for (const forbidden of [...forbiddenValues, credentialId, publicKey]) {
    expect(everything).not.toContain(forbidden);
  }
  expect(everything).not.toMatch(/\$argon2/);

  // The link works once; the archive went with it.
  await expectProblem(await call('/data-exports/download', { body: { token } }), 400, 'token_used');
  expect((await db.collection('data_exports').findOne({ _id: started.exportId as never }))!.archive).toBeNull();

  // Once a day.
  offsetMs += 30_000;
  const again = await call('/users/me/export', { token: tokens.access_token, body: { password: PASSWORD, code: await codeAt(secret) } });
  expect(again.headers.get('retry-after')).toMatch(/^\d+$/);
  await expectProblem(again, 429, 'export_limit_reached');
});

it('fails an export past its deadline, naming the participant that did not answer', async () => {
  const { email, tokens } = await signUp('late');
  const userId = String((await db.collection('users').findOne({ email }))!._id);
  silentFor.add(userId);
  const started = await expectJson<{ exportId: string }>(
    await call('/users/me/export', { token: tokens.access_token, body: { password: PASSWORD } }),
    202,
  );
  // The three platform services answer; the test participant stays silent.
  await waitFor(
    async () => {
      const entry = await db.collection('data_exports').findOne({ _id: started.exportId as never });
      return Object.keys((entry?.chunks as object | undefined) ?? {}).length === 3 ? true : undefined;
    },
    { what: 'the three platform parts' },
  );
  offsetMs += 2 * 60 * 60 * 1000;
  await stack.lifecycle().runJobNow('expire-data-exports');

  const [failed] = await collector.waitForCount((m) => eventsOf('DataExportFailed')(m) && dataOf(m).exportId === started.exportId, 1);
  expect(dataOf(failed!)).toEqual({ exportId: started.exportId, userId, missing: [TEST_PARTICIPANT] });
  expect((await db.collection('data_exports').findOne({ _id: started.exportId as never }))!.parts).toEqual({});
});

it('lets an admin start an export for a user, audited, with the link sent to the user', async () => {
  const admin = await signUp('admin');
  const { email, tokens } = await signUp('through-support');
  const userId = String((await db.collection('users').findOne({ email }))!._id);
  await expectProblem(await call(`/admin/users/${userId}/export`, { token: tokens.access_token, body: {} }), 403, 'forbidden');

  const started = await expectJson<{ exportId: string }>(
    await call(`/admin/users/${userId}/export`, { token: admin.tokens.access_token, body: {} }),
    202,
  );
  expect(await stack.emailedToken(collector, email, 'data-export-ready')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const audit = await db.collection('audit_log').findOne({ userId, action: 'data_export_requested' });
  expect(audit!.details).toMatchObject({ exportId: started.exportId, startedBy: 'admin' });
  await expectProblem(
    await call(`/admin/users/${userId}/export`, { token: admin.tokens.access_token, body: {} }),
    429,
    'export_limit_reached',
  );
});

it('starts one export of two requested at the same moment', async () => {
  const { email, tokens } = await signUp('twice-at-once');
  const userId = String((await db.collection('users').findOne({ email }))!._id);
  const request = () => call('/users/me/export', { token: tokens.access_token, body: { password: PASSWORD } });
  const answers = await Promise.all([request(), request()]);
  expect(answers.map((answer) => answer.status).sort()).toEqual([202, 429]);
  await expectProblem(
    answers.find((answer) => answer.status === 429)!,
    429,
    'export_limit_reached',
  );
  expect(await db.collection('data_exports').countDocuments({ userId })).toBe(1);
  await stack.emailedToken(collector, email, 'data-export-ready');
});

it('fails an export at once when a participant’s part is not JSON, naming that participant', async () => {
  const { email, tokens } = await signUp('garbled');
  const userId = String((await db.collection('users').findOne({ email }))!._id);
  garbledFor.add(userId);
  const started = await expectJson<{ exportId: string }>(
    await call('/users/me/export', { token: tokens.access_token, body: { password: PASSWORD } }),
    202,
  );
  // No deadline passes: the bad part itself ends the export.
  const [failed] = await collector.waitForCount((m) => eventsOf('DataExportFailed')(m) && dataOf(m).exportId === started.exportId, 1);
  expect(dataOf(failed!)).toEqual({ exportId: started.exportId, userId, missing: [TEST_PARTICIPANT] });
  const entry = await db.collection('data_exports').findOne({ _id: started.exportId as never });
  expect(entry).toMatchObject({ status: 'failed', parts: {}, archive: null });
  expect(collector.messages.filter((m) => eventsOf('DataExportCompleted')(m) && dataOf(m).exportId === started.exportId)).toEqual([]);
});
