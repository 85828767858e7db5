import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { Topics, fromKafkaMessage, isEvent, registry } from '@solar/contracts';
import { ensureTopics, type Service } from '@solar/chassis';
import { KafkaCollector, type CollectedMessage } from '@solar/chassis/testing';
import { createIdentityService } from '../src/main';
import { hashToken } from '../src/tokens/one-time-token';
import { emailVariables, identityTestEnv, specFetch } from './identity-test-env';

const { infra, name, env, topic } = identityTestEnv('identity-register');
let now = new Date('2026-03-01T10:00:00Z');
const identity: Service = createIdentityService(env, { clock: () => now });
const collector = new KafkaCollector(infra.kafkaBrokers, [topic(Topics.identityUser), topic(Topics.notificationEmailRequests)]);
let baseUrl: string;
let api: typeof fetch;
let db: Connection;

const address = (label: string) => `${label}.${name}@example.test`.toLowerCase();

const register = (email: string, password = 'a perfectly good password', extra: { locale?: string; acceptLanguage?: string } = {}) =>
  api(`${baseUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(extra.acceptLanguage ? { 'accept-language': extra.acceptLanguage } : {}) },
    body: JSON.stringify({ email, password, ...(extra.locale !== undefined ? { locale: extra.locale } : {}) }),
  });

/** The locales of the email requests to the address, by template. */
const requestedLocales = async (email: string, count: number) =>
  (await collector.waitForCount(about(email, 'EmailRequested'), count)).map((m) => {
    const event = fromKafkaMessage(m.message);
    if (!isEvent(event, 'EmailRequested')) throw new Error('not an email request');
    return `${event.data.template}/${event.data.locale}`;
  });

const verify = (token: string) =>
  api(`${baseUrl}/auth/verify-email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token }),
  });

const about = (email: string, type: 'UserRegistered' | 'EmailRequested') => (m: CollectedMessage) =>
  m.message.headers?.ce_type?.toString() === registry[type].type && (m.message.value?.toString() ?? '').includes(`"${email}"`);

async function verificationTokenFor(email: string): Promise<string> {
  const [message] = await collector.waitForCount(about(email, 'EmailRequested'), 1);
  const event = fromKafkaMessage(message!.message);
  if (!isEvent(event, 'EmailRequested')) throw new Error('not an email request');
  return new URL(emailVariables(event.data).link!).searchParams.get('token')!;
}

beforeAll(async () => {
  const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, [topic(Topics.identityUser), topic(Topics.notificationEmailRequests)]);
  baseUrl = `http://127.0.0.1:${(await identity.start()).port}`;
  api = specFetch(baseUrl);
  await collector.start();
  db = await mongoose.createConnection(env.MONGO_URL!).asPromise();
});

afterAll(async () => {
  await collector.stop();
  await identity.stop();
  await db?.close();
});

describe('register', () => {
  it('stores an argon2id hash and only the SHA-256 of the verification token', async () => {
    const email = address('hash');
    expect((await register(email, 'my secret passphrase')).status).toBe(201);
    const token = await verificationTokenFor(email);
    const user = await db.collection('users').findOne({ email });
    const [, algorithm, version, parameters] = String(user?.passwordHash).split('$');
    expect([algorithm, version]).toEqual(['argon2id', 'v=19']);
    expect(parameters?.split(',').sort()).toEqual(['m=19456', 'p=1', 't=2']);
    expect(user?.tokens).toEqual([expect.objectContaining({ hash: hashToken(token), purpose: 'verify-email', usedAt: null })]);
    const stored = JSON.stringify(user);
    expect(stored).not.toContain('my secret passphrase');
    expect(stored).not.toContain(token);
  });

  it('answers a taken address exactly as a new one, changes nothing, and warns the owner', async () => {
    const email = address('taken');
    const first = await register(email);
    const second = await register(email.toUpperCase(), 'a different password');
    expect(second.status).toBe(first.status);
    expect(await second.json()).toEqual(await first.json());

    const warnings = await collector.waitForCount(
      (m) => about(email, 'EmailRequested')(m) && (m.message.value?.toString() ?? '').includes('registration-attempt'),
      1,
    );
    const warning = fromKafkaMessage(warnings[0]!.message);
    expect(isEvent(warning, 'EmailRequested') && warning.data.variables).toEqual({});
    expect(await db.collection('users').countDocuments({ email })).toBe(1);
    expect(collector.messages.filter(about(email, 'UserRegistered'))).toHaveLength(1);
  });

  it('records the registration, and an attempt on a taken address, in the audit log', async () => {
    const email = address('audited');
    await register(email);
    await register(email);
    const user = await db.collection('users').findOne({ email });
    const entries = await db.collection('audit_log').find({ userId: user?._id, action: 'register' }).sort({ at: 1 }).toArray();
    expect(entries.map((e) => [e.outcome, e.details?.reason])).toEqual([
      ['success', undefined],
      ['failure', 'address_taken'],
    ]);
    expect(entries[0]).toMatchObject({ ip: expect.any(String), userAgent: expect.any(String) });
  });

  it('creates exactly one account when 20 registrations of one address race', async () => {
    const email = address('race');
    const responses = await Promise.all(Array.from({ length: 20 }, () => register(email)));
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(201));
    expect(await db.collection('users').countDocuments({ email })).toBe(1);
    await collector.waitForCount(about(email, 'EmailRequested'), 20);
    expect(collector.messages.filter(about(email, 'UserRegistered'))).toHaveLength(1);
  });
});

describe('register: the account locale', () => {
  it.each([
    ['the body', { locale: 'de', acceptLanguage: 'en-US' }, 'de'],
    ['Accept-Language', { acceptLanguage: 'fr-CH, de-CH;q=0.8, en;q=0.5' }, 'de'],
    ['neither, English', {}, 'en'],
  ])('is taken from %s, stored and sent with the verification email', async (label, extra, locale) => {
    const email = address(`locale-${label.split(/\W/)[0]}`);
    expect((await register(email, undefined, extra)).status).toBe(201);
    expect(await requestedLocales(email, 1)).toEqual([`verify-email/${locale}`]);
    expect((await db.collection('users').findOne({ email }))?.locale).toBe(locale);
  });

  it("warns the owner of a taken address in the owner's locale, not the requester's", async () => {
    const email = address('locale-owner');
    await register(email, undefined, { locale: 'de' });
    await register(email, undefined, { locale: 'en', acceptLanguage: 'en' });
    expect(await requestedLocales(email, 2)).toEqual(['verify-email/de', 'registration-attempt/de']);
    expect((await db.collection('users').findOne({ email }))?.locale).toBe('de');
  });

  it('refuses an unsupported locale with a detail naming the supported ones, and creates nothing', async () => {
    const email = address('locale-refused');
    const response = await register(email, undefined, { locale: 'fr' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'validation_failed', detail: 'locale: must be one of: en, de' });
    expect(await db.collection('users').countDocuments({ email })).toBe(0);
  });
});

describe('verify-email', () => {
  it('verifies once, and refuses the same token a second time', async () => {
    const email = address('verify');
    await register(email);
    const token = await verificationTokenFor(email);
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(token)));
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(9).fill(400)]);
    const refusals = await Promise.all(results.filter((r) => r.status === 400).map((r) => r.json()));
    expect(new Set(refusals.map((body) => (body as { code: string }).code))).toEqual(new Set(['token_used']));
    const user = await db.collection('users').findOne({ email });
    expect(user?.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await db.collection('audit_log').countDocuments({ userId: user?._id, action: 'email_verified', outcome: 'success' })).toBe(1);
    expect(user?.tokens.filter((t: { usedAt: Date | null }) => t.usedAt !== null)).toHaveLength(1);
  });

  it('refuses an expired token', async () => {
    const email = address('expired');
    await register(email);
    const token = await verificationTokenFor(email);
    const registeredAt = now;
    now = new Date(registeredAt.getTime() + 24 * 3_600_000 + 1);
    try {
      const response = await verify(token);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ code: 'token_expired' });
    } finally {
      now = registeredAt;
    }
    expect((await db.collection('users').findOne({ email }))?.emailVerifiedAt).toBeNull();
  });

  it.each([
    ['a made-up token of the right shape', 'A'.repeat(43), 'token_invalid'],
    ['a token of the wrong shape', 'not-a-token', 'token_malformed'],
  ])('refuses %s with its own code', async (_label, token, code) => {
    const response = await verify(token);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code });
  });

  it('refuses the stored hash presented as a token', async () => {
    const email = address('hash-as-token');
    await register(email);
    await verificationTokenFor(email);
    const user = await db.collection('users').findOne({ email });
    const response = await verify(user!.tokens[0].hash as string);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: 'token_malformed' });
  });
});
