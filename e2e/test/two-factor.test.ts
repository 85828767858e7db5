import { Kafka, logLevel } from 'kafkajs';
import mongoose, { type Connection } from 'mongoose';
import { generate } from 'otplib';
import { Topics, fromKafkaMessage, registry } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { KafkaCollector, Mailpit, mongoUrlFor, waitFor, type CollectedMessage } from '@solar/chassis/testing';
import { TestStack } from './support/stack';
import { apiClient, expectJson, expectProblem } from './support/api-client';

const stack = new TestStack('two-factor-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const topics = [Topics.identityUser, Topics.identitySecurity, Topics.notificationEmailRequests].map((t) => stack.topic(t));
const collector = new KafkaCollector(stack.infra.kafkaBrokers, topics);
let gatewayUrl: string;
const call = apiClient(stack, () => gatewayUrl);
let db: Connection;

// Identity's clock, moved by the tests: a TOTP step is spent by each use, so the next code needs the next step.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);
const nextStep = () => {
  offsetMs += 30_000;
};

/** Every secret the tests saw in clear: none may appear in the database. */
const seen = { totpSecrets: [] as string[], recoveryCodes: [] as string[], mfaTokens: [] as string[] };

const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
const PASSWORD = 'a long and proper password';

const codeAt = (secret: string) => generate({ secret, epoch: Math.floor(clock().getTime() / 1000) });

interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** Registers and verifies the address by its emailed link (two-factor setup needs both), then signs in. */
async function signUp(label: string): Promise<{ email: string; tokens: Tokens }> {
  const email = address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  await expectJson(await call('/auth/verify-email', { body: { token: await stack.emailedToken(collector, email, 'verify-email') } }), 200);
  return { email, tokens: await expectJson<Tokens>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200) };
}

/** An account with two-factor on, set up through the API with codes computed here. */
async function withTwoFactor(label: string) {
  const { email, tokens } = await signUp(label);
  const setup = await expectJson<{ secret: string }>(
    await call('/auth/2fa/enable', { token: tokens.access_token, body: { password: PASSWORD } }),
    200,
  );
  const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(
    await call('/auth/2fa/verify', { token: tokens.access_token, body: { password: PASSWORD, code: await codeAt(setup.secret) } }),
    200,
  );
  seen.totpSecrets.push(setup.secret);
  seen.recoveryCodes.push(...recoveryCodes);
  nextStep();
  return { email, secret: setup.secret, recoveryCodes, tokens };
}

async function mfaTokenFor(email: string): Promise<string> {
  const body = await expectJson<{ mfa_required: boolean; mfa_token: string }>(
    await call('/auth/login', { body: { email, password: PASSWORD } }),
    200,
  );
  expect(body).toEqual({ mfa_required: true, mfa_token: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
  seen.mfaTokens.push(body.mfa_token);
  return body.mfa_token;
}

const secondFactor = (body: Record<string, string>) => call('/auth/login/2fa', { body });

function eventOf(name: keyof typeof registry, userId: string) {
  return (m: CollectedMessage) => m.message.headers?.ce_type?.toString() === registry[name].type && m.message.key?.toString() === userId;
}

const dataOf = (m: CollectedMessage) => fromKafkaMessage(m.message).data as Record<string, unknown>;

async function userIdOf(email: string): Promise<string> {
  return String((await db.collection('users').findOne({ email }))!._id);
}

beforeAll(async () => {
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(kafka, topics);
  await stack.startIdentity({}, { clock });
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
  await collector.start();
  db = await mongoose.createConnection(mongoUrlFor(stack.infra, `${stack.name}-identity`)).asPromise();
});

afterAll(async () => {
  await collector.stop();
  await stack.stop();
  await db?.close();
});

describe('two-factor authentication through the gateway', () => {
  it('enables TOTP with a confirmed code, then signs in with password and a code computed from the secret', async () => {
    const { email, tokens } = await signUp('ada');
    const setup = await expectJson<{ secret: string; otpauthUri: string; qrCode: { png: string; svg: string } }>(
      await call('/auth/2fa/enable', { token: tokens.access_token, body: { password: PASSWORD } }),
      200,
    );
    seen.totpSecrets.push(setup.secret);
    expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(setup.otpauthUri).toContain(`secret=${setup.secret}`);
    expect(setup.otpauthUri).toContain(encodeURIComponent(email));
    expect(setup.qrCode.png).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);
    expect(setup.qrCode.svg).toContain('<svg');

    // Not on until confirmed: sign-in still needs the password only. A challenge is a 200 as well,
    // so the answer must be the tokens themselves.
    const unconfirmed = await expectJson<Record<string, unknown>>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
    expect(unconfirmed).toHaveProperty('access_token');
    expect(unconfirmed).not.toHaveProperty('mfa_required');
    const wrong = String((Number(await codeAt(setup.secret)) + 1) % 1_000_000).padStart(6, '0');
    await expectProblem(
      await call('/auth/2fa/verify', { token: tokens.access_token, body: { password: PASSWORD, code: wrong } }),
      400,
      'invalid_code',
    );
    const verified = await expectJson<{ recoveryCodes: string[] }>(
      await call('/auth/2fa/verify', { token: tokens.access_token, body: { password: PASSWORD, code: await codeAt(setup.secret) } }),
      200,
    );
    seen.recoveryCodes.push(...verified.recoveryCodes);
    expect(verified.recoveryCodes).toHaveLength(10);
    expect(new Set(verified.recoveryCodes).size).toBe(10);
    await expectProblem(await call('/auth/2fa/enable', { token: tokens.access_token, body: { password: PASSWORD } }), 409, 'conflict');

    const userId = await userIdOf(email);
    const [enabled] = await collector.waitForCount(eventOf('TwoFactorEnabled', userId), 1);
    expect(dataOf(enabled!)).toEqual({ userId, method: 'totp' });
    const mail = await waitFor(async () => (await mailpit.search(`to:"${email}" subject:"Two-factor authentication is on"`))[0], {
      what: 'the two-factor-enabled email',
    });
    expect(mail.Subject).toMatch(/two-factor authentication is on/i);

    const mfaToken = await mfaTokenFor(email);
    nextStep();
    const signedIn = await expectJson<Tokens & { token_type: string }>(
      await secondFactor({ mfaToken, code: await codeAt(setup.secret) }),
      200,
    );
    expect(signedIn).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), refresh_token: expect.any(String) });
    expect(await expectJson(await call('/users/me', { token: signedIn.access_token }), 200)).toMatchObject({ email });
    const [succeeded] = await collector.waitForCount(
      (m) => eventOf('LoginSucceeded', userId)(m) && (dataOf(m).factors as string[]).includes('totp'),
      1,
    );
    expect(dataOf(succeeded!)).toMatchObject({ factors: ['password', 'totp'] });
    // The challenge is single-use.
    nextStep();
    await expectProblem(await secondFactor({ mfaToken, code: await codeAt(setup.secret) }), 400, 'token_used');
  });

  it('refuses a code whose time step was already used, even with a fresh mfa token', async () => {
    const account = await withTwoFactor('replay');
    const code = await codeAt(account.secret);
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), code }), 200);
    await expectProblem(await secondFactor({ mfaToken: await mfaTokenFor(account.email), code }), 400, 'invalid_code');
    // The step before the last one used is inside the ±1 window but refused as well.
    const earlier = await generate({ secret: account.secret, epoch: Math.floor(clock().getTime() / 1000) - 30 });
    await expectProblem(await secondFactor({ mfaToken: await mfaTokenFor(account.email), code: earlier }), 400, 'invalid_code');
    nextStep();
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), code: await codeAt(account.secret) }), 200);
  });

  it('accepts a recovery code once, however it is typed', async () => {
    const account = await withTwoFactor('recovery');
    const [first, second] = account.recoveryCodes;
    const typed = ` ${first!.toUpperCase().replace(/-/g, ' ')} `;
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), recoveryCode: typed }), 200);
    await expectProblem(await secondFactor({ mfaToken: await mfaTokenFor(account.email), recoveryCode: first! }), 400, 'invalid_code');
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), recoveryCode: second! }), 200);
    // Another account's code is no code here.
    const other = await withTwoFactor('recovery-other');
    await expectProblem(
      await secondFactor({ mfaToken: await mfaTokenFor(account.email), recoveryCode: other.recoveryCodes[0]! }),
      400,
      'invalid_code',
    );
  });

  it('lets exactly one of three concurrent sign-ins spend the same recovery code', async () => {
    const account = await withTwoFactor('race');
    const tokens = await Promise.all([mfaTokenFor(account.email), mfaTokenFor(account.email), mfaTokenFor(account.email)]);
    const answers = await Promise.all(tokens.map((mfaToken) => secondFactor({ mfaToken, recoveryCode: account.recoveryCodes[0]! })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400, 400]);
  });

  it('closes an mfa token after five wrong codes, counting each against the sign-in throttle', async () => {
    const account = await withTwoFactor('exhaust');
    const mfaToken = await mfaTokenFor(account.email);
    const right = await codeAt(account.secret);
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, '0');
    for (let remaining = 4; remaining >= 0; remaining--) {
      const answer = await expectJson(await secondFactor({ mfaToken, code: wrong }), 400);
      expect(answer).toMatchObject({ code: 'invalid_code', attemptsRemaining: remaining });
    }
    await expectProblem(await secondFactor({ mfaToken, code: right }), 400, 'token_used');
    const userId = await userIdOf(account.email);
    const failures = await collector.waitForCount((m) => eventOf('LoginFailed', userId)(m) && dataOf(m).reason === 'bad_second_factor', 5);
    // Each failure is its own audit entry, published on its own: the order on the topic may differ.
    expect(failures.map((m) => dataOf(m).consecutiveFailures).sort()).toEqual([1, 2, 3, 4, 5]);
    // A fresh token still works, and a success clears the count: the next failure is the first again.
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), code: right }), 200);
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), code: wrong }), 400);
    const after = await collector.waitForCount((m) => eventOf('LoginFailed', userId)(m) && dataOf(m).reason === 'bad_second_factor', 6);
    expect(after.map((m) => dataOf(m).consecutiveFailures).sort()).toEqual([1, 1, 2, 3, 4, 5]);
  });

  it('lets concurrent wrong guesses take no more than five attempts from one token', async () => {
    const account = await withTwoFactor('guesses');
    const mfaToken = await mfaTokenFor(account.email);
    const right = Number(await codeAt(account.secret));
    const guesses = Array.from({ length: 8 }, (_, i) => String((right + 100_000 + i) % 1_000_000).padStart(6, '0'));
    const answers = await Promise.all(guesses.map((code) => secondFactor({ mfaToken, code })));
    const codes = await Promise.all(answers.map(async (a) => ((await a.json()) as { code: string }).code));
    expect(codes.filter((c) => c === 'invalid_code')).toHaveLength(5);
    expect(codes.filter((c) => c === 'token_used')).toHaveLength(3);
  });

  it('locks the address after ten wrong codes, like ten wrong passwords', async () => {
    const account = await withTwoFactor('lock');
    const right = await codeAt(account.secret);
    const wrong = String((Number(right) + 250_000) % 1_000_000).padStart(6, '0');
    for (let token = 0; token < 2; token++) {
      const mfaToken = await mfaTokenFor(account.email);
      for (let i = 0; i < 5; i++) await expectProblem(await secondFactor({ mfaToken, code: wrong }), 400, 'invalid_code');
    }
    const locked = await call('/auth/login', { body: { email: account.email, password: PASSWORD } });
    expect(locked.status).toBe(423);
    expect(locked.headers.get('retry-after')).toMatch(/^\d+$/);
    const userId = await userIdOf(account.email);
    await collector.waitForCount(eventOf('AccountLocked', userId), 1);
  });

  it('keeps the ten newest challenges of an account: older mfa tokens stop working', async () => {
    const account = await withTwoFactor('many');
    const tokens: string[] = [];
    for (let i = 0; i < 12; i++) tokens.push(await mfaTokenFor(account.email));
    const stored = await db.collection('users').findOne({ email: account.email });
    expect(stored!.mfaChallenges).toHaveLength(10);
    await expectProblem(await secondFactor({ mfaToken: tokens[0]!, code: await codeAt(account.secret) }), 400, 'token_invalid');
    await expectJson(await secondFactor({ mfaToken: tokens[11]!, code: await codeAt(account.secret) }), 200);
  });

  it('refuses malformed, unknown and expired mfa tokens and bodies that are not one of the two shapes', async () => {
    const account = await withTwoFactor('tokens');
    const code = await codeAt(account.secret);
    await expectProblem(await secondFactor({ mfaToken: 'nope', code }), 400, 'token_malformed');
    await expectProblem(await secondFactor({ mfaToken: 'A'.repeat(43), code }), 400, 'token_invalid');
    const mfaToken = await mfaTokenFor(account.email);
    await expectProblem(await secondFactor({ mfaToken, code, recoveryCode: account.recoveryCodes[0]! }), 400, 'validation_failed');
    await expectProblem(await secondFactor({ mfaToken }), 400, 'validation_failed');
    await expectProblem(await secondFactor({ mfaToken, code: '12345' }), 400, 'validation_failed');
    await expectProblem(await call('/auth/login/2fa', { body: [] }), 400, 'validation_failed');
    offsetMs += 5 * 60_000 + 1_000;
    await expectProblem(await secondFactor({ mfaToken, code: await codeAt(account.secret) }), 400, 'token_expired');
  });

  it('regenerates recovery codes with password and code, and the old ones stop working', async () => {
    const account = await withTwoFactor('regenerate');
    const token = account.tokens.access_token;
    await expectProblem(
      await call('/auth/2fa/recovery-codes', { token, body: { password: 'not it at all', code: await codeAt(account.secret) } }),
      401,
      'invalid_credentials',
    );
    const fresh = await expectJson<{ recoveryCodes: string[] }>(
      await call('/auth/2fa/recovery-codes', { token, body: { password: PASSWORD, code: await codeAt(account.secret) } }),
      200,
    );
    seen.recoveryCodes.push(...fresh.recoveryCodes);
    expect(fresh.recoveryCodes).toHaveLength(10);
    await expectProblem(
      await secondFactor({ mfaToken: await mfaTokenFor(account.email), recoveryCode: account.recoveryCodes[0]! }),
      400,
      'invalid_code',
    );
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), recoveryCode: fresh.recoveryCodes[0]! }), 200);
  });

  it('turns two-factor off only with the password and an unused code, and announces it', async () => {
    const account = await withTwoFactor('disable');
    const token = account.tokens.access_token;
    const code = await codeAt(account.secret);
    await expectProblem(await call('/auth/2fa/disable', { token, body: { password: 'not it at all', code } }), 401, 'invalid_credentials');
    await expectJson(await secondFactor({ mfaToken: await mfaTokenFor(account.email), code }), 200);
    await expectProblem(await call('/auth/2fa/disable', { token, body: { password: PASSWORD, code } }), 400, 'invalid_code');
    await expectProblem(await call('/auth/2fa/disable', { body: { password: PASSWORD, code } }), 401, 'unauthorized');
    nextStep();
    expect(
      await expectJson(await call('/auth/2fa/disable', { token, body: { password: PASSWORD, code: await codeAt(account.secret) } }), 200),
    ).toEqual({
      message: expect.any(String),
    });

    const userId = await userIdOf(account.email);
    await collector.waitForCount(eventOf('TwoFactorDisabled', userId), 1);
    await waitFor(async () => (await mailpit.search(`to:"${account.email}" subject:"Two-factor authentication is off"`))[0], {
      what: 'the two-factor-disabled email',
    });
    expect(await expectJson(await call('/auth/login', { body: { email: account.email, password: PASSWORD } }), 200)).toMatchObject({
      access_token: expect.any(String),
    });
    const stored = await db.collection('users').findOne({ email: account.email });
    expect(stored!.twoFactor).toMatchObject({ secret: null, enabledAt: null, recoveryCodes: [] });
  });

  it('records every step in the audit log', async () => {
    const userId = await userIdOf(address('disable'));
    const actions = await db.collection('audit_log').find({ userId }).sort({ at: 1 }).toArray();
    expect(actions.map((a) => `${a.action}:${a.outcome}`)).toEqual(
      expect.arrayContaining([
        'two_factor_setup_started:success',
        'two_factor_enabled:success',
        'mfa_challenge_issued:success',
        'two_factor_disabled:failure',
        'two_factor_disabled:success',
      ]),
    );
  });

  it('ignores an invite token in open registration mode', async () => {
    const response = await call('/auth/register', { body: { email: address('open'), password: PASSWORD, inviteToken: 'whatever' } });
    expect(response.status).toBe(201);
  });

  it('keeps no TOTP secret, recovery code or mfa token in clear in the database', async () => {
    expect(seen.totpSecrets.length).toBeGreaterThan(5);
    const documents: unknown[] = [];
    for (const { name } of await db.db!.listCollections().toArray()) documents.push(...(await db.collection(name).find({}).toArray()));
    expect(documents.length).toBeGreaterThan(20);
    const raw = JSON.stringify(documents).toLowerCase();
    const needles = [
      ...seen.totpSecrets,
      ...seen.recoveryCodes,
      ...seen.recoveryCodes.map((code) => code.replace(/-/g, '')),
      ...seen.mfaTokens,
    ].map((s) => s.toLowerCase());
    expect(needles.filter((needle) => raw.includes(needle))).toEqual([]);
    // The secret is there, but sealed: format version, key id, iv, tag, ciphertext.
    const user = await db.collection('users').findOne({ email: address('ada') });
    expect(user!.twoFactor.secret).toMatch(/^v2\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/);
  });
});
