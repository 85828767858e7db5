/**
 * `npm run test:fuzz` (through scripts/fuzz.sh, which builds, installs schemathesis and brings up the
 * test servers): schemathesis against the gateway's own /openapi.json, with every service running
 * in-process on fresh databases and topics, as the end-to-end tests run them, and the gateway as
 * deployed: rate limits and monthly quotas on (in Redis), no CAPTCHA, registration open.
 *
 * Before the run it signs up a verified user, an admin (ADMIN_EMAILS) and a third account whose
 * sessions the logout and session cases end; auth_hooks.py gives each operation that asks for a
 * token the right one. Every response must pass the checks below; any failure fails the command.
 *
 * The user's and the admin's access tokens are renewed (refreshed at identity) at half their life for
 * as long as the run lasts, and the hooks fetch the current ones from a local endpoint of this driver:
 * otherwise every case after ACCESS_TOKEN_TTL would be a 401 that passes every check. The run ends by
 * proving the user's current token still works (GET /v1/users/me answers 200), or fails.
 *
 * FUZZ_MAX_EXAMPLES (per operation and phase), FUZZ_SEED, FUZZ_WORKERS and FUZZ_CHECKS change the
 * run; FUZZ_ACCESS_TOKEN_TTL (identity's ACCESS_TOKEN_TTL, default 15m) makes a short run outlive its
 * tokens, to see the renewal at work; the reports (JUnit XML and schemathesis's NDJSON events) go to FUZZ_REPORT_DIR (.local/fuzz);
 * SCHEMATHESIS names another schemathesis executable than the one in .local/venv.
 */
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import { TestStack } from '../test/support/stack';

const ROOT = join(__dirname, '../..');
const maxExamples = process.env.FUZZ_MAX_EXAMPLES ?? '100';
const seed = process.env.FUZZ_SEED ?? '20260701';
const workers = process.env.FUZZ_WORKERS ?? '2';
const reportDir = process.env.FUZZ_REPORT_DIR ?? join(ROOT, '.local/fuzz');
const schemathesis = process.env.SCHEMATHESIS ?? join(ROOT, '.local/venv/bin/schemathesis');

/**
 * The checks every answer must pass (FUZZ_CHECKS=a,b or =all to try others). negative_data_rejection:
 * a request the document forbids gets a 4xx; unsupported_method: a method a path does not declare
 * gets 405 with Allow; ignored_auth: an operation that asks for a token refuses a request without one
 * or with a bad one; use_after_free and ensure_resource_availability: what the stateful phase deleted
 * stays gone, what it created can be read. Not positive_data_acceptance: the document cannot say
 * everything a service checks (refinements, the password policy's list, cursors the API issued, an
 * account locked by earlier cases), so a 400 for a request it allows is not by itself a fault.
 */
const CHECKS = process.env.FUZZ_CHECKS?.split(',') ?? [
  'not_a_server_error',
  'status_code_conformance',
  'content_type_conformance',
  'response_schema_conformance',
  'response_headers_conformance',
  'negative_data_rejection',
  'unsupported_method',
  'allow_header_conformance',
  'missing_required_header',
  'ignored_auth',
  'use_after_free',
  'ensure_resource_availability',
];

/**
 * The gateway as deployed, with limits sized for a fuzzer from one address: each limited route lets
 * 120 requests a minute through and answers 429 after that (so both the routes and their 429s are
 * fuzzed: about 130 of the 5,100 cases get a 429); the deployed defaults (5/1m login, 3/1h register, ...)
 * would answer almost every case of those routes 429.
 */
const GATEWAY_ENV = {
  RATE_LIMITS_ENABLED: 'true',
  RATE_LIMIT_LOGIN: '120/1m',
  RATE_LIMIT_LOGIN_2FA: '120/1m',
  RATE_LIMIT_TWO_FACTOR_RESET: '120/1m',
  RATE_LIMIT_TWO_FACTOR_RESET_CONFIRM: '120/1m',
  RATE_LIMIT_REGISTER: '120/1m',
  RATE_LIMIT_REQUEST_PASSWORD_RESET: '120/1m',
  RATE_LIMIT_RESET_PASSWORD: '120/1m',
  RATE_LIMIT_REQUEST_EMAIL_CHANGE: '120/1m',
  RATE_LIMIT_CONFIRM_EMAIL_CHANGE: '120/1m',
  RATE_LIMIT_UNDO_EMAIL_CHANGE: '120/1m',
  RATE_LIMIT_SEND_VERIFICATION: '120/1m',
  RATE_LIMIT_VERIFY_EMAIL: '120/1m',
  RATE_LIMIT_DATA_EXPORT_DOWNLOAD: '120/1m',
  RATE_LIMIT_REQUEST_DELETION: '120/1m',
  RATE_LIMIT_CANCEL_DELETION: '120/1m',
  RATE_LIMIT_WAITLIST_JOIN: '120/1m',
  RATE_LIMIT_PASSKEY_OPTIONS: '120/1m',
  RATE_LIMIT_PASSKEY_SIGN_IN: '120/1m',
  RATE_LIMIT_DEFAULT: '3000/1m',
  QUOTAS_ENABLED: 'true',
  // The fuzzed user makes about 5,000 requests at 100 examples, 13,000 at 300: past the default 10,000
  // a month, every later case of theirs would only test the 429.
  QUOTA_USER: '1000000',
  CAPTCHA_PROVIDER: 'none',
};

const PASSWORD = 'fuzzing is believing, 2026';

interface Tokens {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/**
 * A signed-in account whose access token is renewed, by refreshing at identity (the gateway's limits
 * are part of what is fuzzed), at half its life; one renewal at a time, so rotation never races itself.
 */
class RenewedSession {
  private timer: NodeJS.Timeout | undefined;
  /** Why a renewal failed, if one did: the run fails with it. */
  failure: string | undefined;

  constructor(
    private tokens: Tokens,
    private readonly identityUrl: string,
  ) {
    this.schedule();
  }

  get accessToken(): string {
    return this.tokens.access_token;
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.renew(), (this.tokens.expires_in * 1_000) / 2);
  }

  private async renew(): Promise<void> {
    const response = await fetch(`${this.identityUrl}/auth/token/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refresh_token: this.tokens.refresh_token }),
    }).catch((error: unknown) => error as Error);
    if (response instanceof Error || response.status !== 200) {
      this.failure = response instanceof Error ? response.message : `refresh answered ${response.status}`;
      return;
    }
    this.tokens = (await response.json()) as Tokens;
    this.schedule();
  }
}

/** The account an access token stands for (its `sub`). */
function subjectOf(tokens: Tokens): string {
  const payload = JSON.parse(Buffer.from(tokens.access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { sub?: unknown };
  if (typeof payload.sub !== 'string') throw new Error('an access token without a subject');
  return payload.sub;
}

/** Serves each session's current access token at /<name> on loopback, for auth_hooks.py. */
async function tokenEndpoint(sessions: Record<string, RenewedSession>): Promise<Server & { url: string }> {
  const server = createServer((req, res) => {
    const session = sessions[(req.url ?? '').slice(1)];
    if (!session) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store' }).end(session.accessToken);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

async function main(): Promise<number> {
  const stack = new TestStack('fuzz');
  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'fuzz', logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    Object.values(Topics).map((topic) => stack.topic(topic)),
  );
  const mailpit = new Mailpit(stack.infra.mailpitUrl);
  const address = (label: string) => `${label}.${stack.name}@example.test`.toLowerCase();
  const admin = address('admin');
  const identity = await stack.startIdentity({
    ADMIN_EMAILS: admin,
    REGISTRATION_MODE: 'open',
    // The admin signs in once, before the run: with the default 5 minutes, admin actions would be
    // fuzzed only as far as the re-authentication refusal.
    ADMIN_REAUTH_WINDOW: '2h',
    ...(process.env.FUZZ_ACCESS_TOKEN_TTL ? { ACCESS_TOKEN_TTL: process.env.FUZZ_ACCESS_TOKEN_TTL } : {}),
  });
  await stack.startNotification({ IDENTITY_JWKS_URL: `${identity.url}/.well-known/jwks.json` });
  await stack.startLifecycle();
  const gateway = await stack.startGateway({ ...GATEWAY_ENV, REDIS_URL: stack.infra.redisUrl });

  // A client address of this run's own (the gateway trusts loopback proxies): its rate-limit buckets
  // start empty whatever else ran on the same Redis, other runs and test files included.
  const clientAddress = `198.51.100.${randomInt(1, 255)}`;

  /** Registers through the gateway, verifies by the emailed link and signs in: a user as the app makes one. */
  const verifiedUser = async (email: string): Promise<Tokens> => {
    const post = (path: string, body: unknown) =>
      stack.fetch(`${gateway.url}/v1${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': clientAddress },
        body: JSON.stringify(body),
      });
    const registered = await post('/auth/register', { email, password: PASSWORD });
    if (registered.status !== 201) throw new Error(`register ${email} answered ${registered.status}: ${await registered.text()}`);
    const [mail] = await waitFor(
      async () => {
        const found = await mailpit.search(`to:"${email}"`);
        return found.length > 0 ? found : undefined;
      },
      { what: `the verification email to ${email}` },
    );
    const text = (await mailpit.message(mail!.ID)).Text;
    const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
    if (!token) throw new Error(`no verification link in the email to ${email}`);
    const verified = await post('/auth/verify-email', { token });
    if (verified.status !== 200) throw new Error(`verify-email for ${email} answered ${verified.status}`);
    const login = await post('/auth/login', { email, password: PASSWORD });
    if (login.status !== 200) throw new Error(`login ${email} answered ${login.status}`);
    return (await login.json()) as Tokens;
  };
  const signedIn = { user: await verifiedUser(address('user')), admin: await verifiedUser(admin) };
  const sessions = {
    user: new RenewedSession(signedIn.user, identity.url),
    admin: new RenewedSession(signedIn.admin, identity.url),
  };
  const tokens = await tokenEndpoint(sessions);
  const sessionsEmail = address('sessions');
  const sessionsAccount = await verifiedUser(sessionsEmail);
  const protectedIds = [signedIn.user, signedIn.admin, sessionsAccount].map(subjectOf);

  rmSync(reportDir, { recursive: true, force: true });
  mkdirSync(reportDir, { recursive: true });
  const junit = join(reportDir, 'junit.xml');
  const args = [
    'run',
    `${gateway.url}/openapi.json`,
    '--checks',
    CHECKS.join(','),
    '--phases',
    'examples,coverage,fuzzing,stateful',
    '--max-examples',
    maxExamples,
    '--seed',
    seed,
    '--workers',
    workers,
    // Generated data only: no example database carried from one run to the next, so CI repeats itself.
    '--generation-database',
    'none',
    '--request-timeout',
    '30',
    '--header',
    `X-Forwarded-For: ${clientAddress}`,
    '--report',
    'junit,ndjson',
    '--report-dir',
    reportDir,
    '--report-junit-path',
    junit,
    '--no-color',
  ];
  console.log(`gateway ${gateway.url}; schemathesis ${args.join(' ')}`);
  // Passed through as it comes, and kept: its summary line counts the test cases.
  let output = '';
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(schemathesis, args, {
      // Its own state (hypothesis's caches, replay data) goes beside the reports, not into the checkout.
      cwd: reportDir,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        SCHEMATHESIS_HOOKS: join(__dirname, 'auth_hooks.py'),
        FUZZ_TOKEN_URL: tokens.url,
        FUZZ_SESSIONS_EMAIL: sessionsEmail,
        FUZZ_SESSIONS_PASSWORD: PASSWORD,
        FUZZ_IDENTITY_URL: identity.url,
        FUZZ_PROTECTED_IDS: protectedIds.join(','),
      },
    });
    child.stdout.on('data', (chunk: Buffer) => {
      process.stdout.write(chunk);
      output = (output + chunk.toString()).slice(-20_000);
    });
    child.on('error', reject);
    // 'close', not 'exit': by then its output has all been read, summary line included.
    child.on('close', (exitCode, signal) => resolve(exitCode ?? (signal ? 128 : 1)));
  });
  const proof = await userTokenWorks(stack, gateway.url, clientAddress, sessions.user);
  for (const session of Object.values(sessions)) session.stop();
  tokens.close();
  await stack.stop();
  console.log(summary(output, junit));
  console.log(proof ?? 'fuzz: the user token renewed through the run still works');
  return code === 0 && proof ? 1 : code;
}

/**
 * Undefined when the user's current token still reaches GET /v1/users/me; otherwise why not. The run
 * may have spent the user's rate-limit window: a 429 is waited out (its Retry-After, at most a minute
 * and a bit) and asked again, so only the token's own answer decides.
 */
async function userTokenWorks(stack: TestStack, gatewayUrl: string, clientAddress: string, user: RenewedSession) {
  if (user.failure) return `fuzz: renewing the user's token failed (${user.failure}): later cases met a 401`;
  for (let attempt = 1; ; attempt++) {
    const me = await stack.fetch(`${gatewayUrl}/v1/users/me`, {
      headers: { authorization: `Bearer ${user.accessToken}`, 'x-forwarded-for': clientAddress },
    });
    if (me.status === 200) return undefined;
    if (me.status !== 429 || attempt === 3) return `fuzz: the user's token answered ${me.status} at the end of the run`;
    const waitSeconds = Math.min(Number(me.headers.get('retry-after') ?? 60) || 60, 65);
    await new Promise((resolve) => setTimeout(resolve, (waitSeconds + 1) * 1000));
  }
}

/**
 * Test cases as schemathesis's summary counts them; failures from the JUnit report, which has one
 * entry per operation and one for the stateful phase.
 */
function summary(output: string, junit: string): string {
  const cases = /Test cases:\s+(\d+) generated/.exec(output)?.[1] ?? 'an unknown number of';
  const xml = readFileSync(junit, 'utf8');
  const count = (name: string) => Number(new RegExp(`<testsuite\\s[^>]*\\b${name}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  const failed = count('failures') + count('errors');
  // For the closing count of `npm test`: passed and skipped cases from schemathesis's summary,
  // failures as the report's failed entries (a failing operation is one failure, however many cases).
  const counted = (word: string) => Number(new RegExp(`Test cases:\\s+[^\\n]*?(\\d+) ${word}`).exec(output)?.[1] ?? 0);
  writeFileSync(join(reportDir, 'counts.json'), JSON.stringify({ passed: counted('passed'), failed, skipped: counted('skipped') }));
  return `fuzz: ${cases} test cases; ${failed} of ${count('tests')} report entries failed; reports in ${reportDir}`;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
