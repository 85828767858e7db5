import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { CAPTCHA_PROOF_HEADER, ensureTopics, signCaptchaProof } from '@solar/chassis';
import { generate } from 'otplib';
import { TestStack } from '../support/stack';

/**
 * Security review finding 4, the remaining part: past the address-wide failure count, a sign-in with
 * a CAPTCHA the gateway verified has its password checked; nothing else does. The CAPTCHA provider is
 * a local server speaking the siteverify API: tokens starting with `solved.` pass.
 */
const stack = new TestStack('login-captcha-e2e');
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'login-captcha-e2e-test', logLevel: logLevel.NOTHING });
const PROOF_KEY = `e2e-proof-key-${stack.name}-0123456789abcdef`;
const PASSWORD = 'correct horse battery';
let siteverify: Server;
let gatewayUrl: string;
let identityUrl: string;
let tokens = 0;
const solved = () => `solved.${stack.name}.${++tokens}`;

function post(url: string, body: Record<string, unknown>, ip: string, headers: Record<string, string> = {}) {
  return stack.fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip, ...headers },
    body: JSON.stringify(body),
  });
}
const signIn = (url: string, body: Record<string, unknown>, ip: string, headers?: Record<string, string>) =>
  post(`${url}/auth/login`, body, ip, headers);
const viaGateway = (body: Record<string, unknown>, ip: string, headers?: Record<string, string>) =>
  signIn(`${gatewayUrl}/v1`, body, ip, headers);

async function expectProblem(response: Response, status: number, code: string): Promise<{ detail?: string }> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  const problem = (await response.json()) as { code: string; detail?: string };
  expect(problem).toMatchObject({ status, code });
  return problem;
}

const addressOf = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();

/** LOGIN_ADDRESS_MAX_FAILURES wrong passwords for the address, one from each of 10 clients. */
async function spreadAttack(email: string): Promise<void> {
  for (let i = 0; i < 10; i++) expect((await viaGateway({ email, password: `guess ${i}` }, `198.51.100.${i}`)).status).toBe(401);
}

/** A new account under a spread attack. */
async function underSpreadAttack(label: string): Promise<string> {
  const email = addressOf(label);
  await stack.signUp(email, PASSWORD);
  await spreadAttack(email);
  return email;
}

/** A verified account with two-factor on, set up through the API. */
async function withTwoFactor(label: string): Promise<string> {
  const email = addressOf(label);
  const token = await stack.signUpVerified(email, PASSWORD);
  const call = (path: string, body: Record<string, unknown>) =>
    stack.fetch(`${gatewayUrl}/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
  const { secret } = (await (await call('/auth/2fa/enable', { password: PASSWORD })).json()) as { secret: string };
  expect((await call('/auth/2fa/verify', { password: PASSWORD, code: await generate({ secret }) })).status).toBe(200);
  return email;
}

const askForTwoFactorReset = (mfaToken: string, ip: string) => post(`${gatewayUrl}/v1/auth/login/2fa/reset`, { mfaToken }, ip);

beforeAll(async () => {
  siteverify = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const answer = form.get('response')?.startsWith('solved.')
        ? { success: true, hostname: 'accounts.solar.test' }
        : { success: false, 'error-codes': ['invalid-input-response'] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => siteverify.listen(0, '127.0.0.1', resolve));
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.identitySecurity),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  identityUrl = (await stack.startIdentity({ LOGIN_ADDRESS_MAX_FAILURES: '10', LOGIN_MAX_FAILURES: '3', CAPTCHA_PROOF_KEY: PROOF_KEY }))
    .url;
  gatewayUrl = (
    await stack.startGateway({
      REDIS_URL: stack.infra.redisUrl,
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: 'siteverify-secret',
      CAPTCHA_VERIFY_URL: `http://127.0.0.1:${(siteverify.address() as AddressInfo).port}/siteverify`,
      CAPTCHA_HOSTNAMES: 'accounts.solar.test',
      CAPTCHA_PROOF_KEY: PROOF_KEY,
    })
  ).url;
});

afterAll(async () => {
  await stack.stop();
  siteverify.closeAllConnections();
  await new Promise((resolve) => siteverify.close(resolve));
});

describe('sign-in with a CAPTCHA past the address-wide failure count', () => {
  it('refuses the owner without a token, and tells them to send one', async () => {
    const email = await underSpreadAttack('plain');
    const refused = await viaGateway({ email, password: PASSWORD }, '203.0.113.10');
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect((await expectProblem(refused, 403, 'captcha_required')).detail).toContain('captchaToken');
  });

  it('signs the owner in with a solved CAPTCHA and the right password', async () => {
    const email = await underSpreadAttack('owner');
    const response = await viaGateway({ email, password: PASSWORD, captchaToken: solved() }, '203.0.113.11');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ token_type: 'Bearer' });
    // The CAPTCHA let one sign-in through; the address still asks for it.
    await expectProblem(await viaGateway({ email, password: PASSWORD }, '203.0.113.11'), 403, 'captcha_required');
  });

  it('answers a wrong password with a solved CAPTCHA 401, and counts it towards the client lock', async () => {
    const email = await underSpreadAttack('guessed');
    const ip = '203.0.113.12';
    for (let i = 0; i < 3; i++)
      await expectProblem(await viaGateway({ email, password: `wrong ${i}`, captchaToken: solved() }, ip), 401, 'invalid_credentials');
    await expectProblem(await viaGateway({ email, password: PASSWORD, captchaToken: solved() }, ip), 423, 'account_locked');
  });

  it('refuses a replayed or unsolved token with 400 captcha_failed', async () => {
    const email = await underSpreadAttack('replayed');
    const token = solved();
    expect((await viaGateway({ email, password: PASSWORD, captchaToken: token }, '203.0.113.13')).status).toBe(200);
    await expectProblem(await viaGateway({ email, password: PASSWORD, captchaToken: token }, '203.0.113.14'), 400, 'captcha_failed');
    await expectProblem(
      await viaGateway({ email, password: PASSWORD, captchaToken: `unsolved.${stack.name}` }, '203.0.113.14'),
      400,
      'captcha_failed',
    );
  });

  it('ignores a proof header the client sends itself, even one signed with the real key', async () => {
    const email = await underSpreadAttack('forged');
    const genuine = signCaptchaProof(PROOF_KEY, email, new Date());
    await expectProblem(
      await viaGateway({ email, password: PASSWORD }, '203.0.113.15', { [CAPTCHA_PROOF_HEADER]: genuine }),
      403,
      'captcha_required',
    );
  });

  it('refuses a forged or stale proof sent straight to identity, bypassing the gateway', async () => {
    const email = await underSpreadAttack('direct');
    const forged = signCaptchaProof(`not-the-key-${'x'.repeat(32)}`, email, new Date());
    const stale = signCaptchaProof(PROOF_KEY, email, new Date(Date.now() - 60_000));
    const otherAddress = signCaptchaProof(PROOF_KEY, `someone.${email}`, new Date());
    for (const proof of [forged, stale, otherAddress, 'v1', 'true'])
      await expectProblem(
        await signIn(identityUrl, { email, password: PASSWORD }, '127.0.0.1', { [CAPTCHA_PROOF_HEADER]: proof }),
        403,
        'captcha_required',
      );
  });
});

describe('a two-factor sign-in past the address-wide failure count', () => {
  it('lets the owner who solved a CAPTCHA at the password step ask for a two-factor reset', async () => {
    const email = await withTwoFactor('lost-factor');
    await spreadAttack(email);
    const signedIn = await viaGateway({ email, password: PASSWORD, captchaToken: solved() }, '203.0.113.20');
    const { mfa_token } = (await signedIn.json()) as { mfa_token: string };
    expect((await askForTwoFactorReset(mfa_token, '203.0.113.20')).status).toBe(202);
  });

  it('does not let an mfa_token taken before the attack ask past the lock without a CAPTCHA', async () => {
    const email = await withTwoFactor('early-token');
    const { mfa_token } = (await (await viaGateway({ email, password: PASSWORD }, '203.0.113.21')).json()) as { mfa_token: string };
    await spreadAttack(email);
    await expectProblem(await askForTwoFactorReset(mfa_token, '203.0.113.21'), 403, 'captcha_required');
  });
});
