import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Env, Service } from '@solar/chassis';
import { capturingLogger, TokenMinter } from '@solar/chassis/testing';
import { createGatewayService } from '../src/main';
import { RedisServer } from './support/redis-server';

/**
 * Real Redis, a dedicated one: these tests stop and restart it, and the shared test Redis serves
 * other files. Windows are 5 s through configuration, so waiting for a window is a short real wait
 * (the counters are Redis TTLs, no fake clock reaches them), yet long enough for a row's requests to
 * fall in one window on a loaded machine.
 */
const WINDOW_SECONDS = 5;
const WINDOW = `${WINDOW_SECONDS}s`;
const TABLE: [name: string, path: string, limit: number, key: 'ip' | 'user', variable: string][] = [
  ['login', '/auth/login', 5, 'ip', 'RATE_LIMIT_LOGIN'],
  ['login/2fa', '/auth/login/2fa', 10, 'ip', 'RATE_LIMIT_LOGIN_2FA'],
  ['passkey-options', '/auth/passkeys/authentication/options', 20, 'ip', 'RATE_LIMIT_PASSKEY_OPTIONS'],
  ['passkey-sign-in', '/auth/passkeys/authentication/verify', 10, 'ip', 'RATE_LIMIT_PASSKEY_SIGN_IN'],
  ['two-factor-reset', '/auth/login/2fa/reset', 3, 'ip', 'RATE_LIMIT_TWO_FACTOR_RESET'],
  ['two-factor-reset-confirm', '/auth/2fa/reset/confirm', 10, 'ip', 'RATE_LIMIT_TWO_FACTOR_RESET_CONFIRM'],
  ['register', '/auth/register', 3, 'ip', 'RATE_LIMIT_REGISTER'],
  ['request-password-reset', '/auth/request-password-reset', 3, 'ip', 'RATE_LIMIT_REQUEST_PASSWORD_RESET'],
  ['reset-password', '/auth/reset-password', 10, 'ip', 'RATE_LIMIT_RESET_PASSWORD'],
  ['request-email-change', '/auth/request-email-change', 3, 'user', 'RATE_LIMIT_REQUEST_EMAIL_CHANGE'],
  ['confirm-email-change', '/auth/confirm-email-change', 10, 'ip', 'RATE_LIMIT_CONFIRM_EMAIL_CHANGE'],
  ['undo-email-change', '/auth/undo-email-change', 10, 'ip', 'RATE_LIMIT_UNDO_EMAIL_CHANGE'],
  ['send-verification', '/auth/send-verification', 5, 'user', 'RATE_LIMIT_SEND_VERIFICATION'],
  ['verify-email', '/auth/verify-email', 10, 'ip', 'RATE_LIMIT_VERIFY_EMAIL'],
  ['data-export-download', '/data-exports/download', 10, 'ip', 'RATE_LIMIT_DATA_EXPORT_DOWNLOAD'],
  ['request-deletion', '/auth/request-deletion', 3, 'user', 'RATE_LIMIT_REQUEST_DELETION'],
  ['cancel-deletion', '/auth/cancel-deletion', 10, 'user', 'RATE_LIMIT_CANCEL_DELETION'],
  ['waitlist/join', '/waitlist/join', 1, 'ip', 'RATE_LIMIT_WAITLIST_JOIN'],
  ['every other route (default)', '/users/me', 4, 'ip', 'RATE_LIMIT_DEFAULT'],
];

let redis: RedisServer;
let upstream: Server;
let upstreamUrl: string;
let seen: string[] = [];
const gateways: Service[] = [];
let addressCounter = 0;
let minter: TokenMinter;

/** A fresh client address per test, so buckets never carry over between tests. */
const nextAddress = () => `198.51.100.${++addressCounter}`;

function limitsEnv(): Env {
  return Object.fromEntries(TABLE.map(([, , limit, , variable]) => [variable, `${limit}/${WINDOW}`]));
}

async function gateway(extra: Env = {}, lines?: string[]): Promise<string> {
  const logger = lines ? capturingLogger('gateway', lines) : undefined;
  const service = createGatewayService(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'fatal',
      GATEWAY_PORT: '0',
      HOST: '127.0.0.1',
      IDENTITY_URL: upstreamUrl,
      NOTIFICATION_URL: upstreamUrl,
      TRUST_PROXY: 'loopback',
      REDIS_URL: redis.url,
      REDIS_PROBE_INTERVAL: '200ms',
      // Quotas have their own tests (quotas.test.ts).
      QUOTAS_ENABLED: 'false',
      ...limitsEnv(),
      ...extra,
    },
    logger ? { logger } : {},
  );
  gateways.push(service);
  const { port, metricsPort } = await service.start();
  const url = `http://127.0.0.1:${port}`;
  readinessOf.set(url, `http://127.0.0.1:${metricsPort}/readyz`);
  return url;
}

/** Each gateway's detailed readiness, which its metrics port serves (its public /readyz is status only). */
const readinessOf = new Map<string, string>();

function readyz(url: string): Promise<Response> {
  const readiness = readinessOf.get(url);
  if (!readiness) throw new Error(`no gateway at ${url}`);
  return fetch(readiness);
}

const bearer = async (userId: string) => ({ authorization: `Bearer ${await minter.sign(userId)}` });

function call(url: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${url}/v1${path}`, {
    method: path === '/users/me' ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(path === '/users/me' ? {} : { body: '{}' }),
  });
}

async function expectRateLimited(response: Response, limit: number): Promise<number> {
  expect(response.status).toBe(429);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await response.json()).toMatchObject({ code: 'rate_limited', status: 429 });
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(WINDOW_SECONDS);
  // draft-8: `"<name>";r=0;t=<seconds>` and `"<name>";q=<limit>;w=<window seconds>`.
  expect(response.headers.get('ratelimit')).toMatch(/; r=0; t=\d+$/);
  expect(response.headers.get('ratelimit-policy')).toMatch(new RegExp(`; q=${limit}; w=${WINDOW_SECONDS}(;|$)`));
  return retryAfter;
}

/** How many of `count` concurrent requests, spread over the gateways, each status got. */
async function burst(urls: string[], path: string, headers: Record<string, string>, count = 50): Promise<Record<number, number>> {
  const responses = await Promise.all(Array.from({ length: count }, (_, i) => call(urls[i % urls.length]!, path, headers)));
  const statuses: Record<number, number> = {};
  for (const response of responses) {
    statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    await response.arrayBuffer();
  }
  return statuses;
}

async function redisMode(url: string): Promise<unknown> {
  const response = await readyz(url);
  const body = (await response.json()) as { checks: { redis?: { detail?: { mode?: string } } } };
  return body.checks.redis?.detail?.mode;
}

beforeAll(async () => {
  minter = await TokenMinter.generate();
  redis = await RedisServer.start();
  upstream = createServer((req, res) => {
    // The stand-in is identity for the gateway's JWT check too.
    if (req.url === '/.well-known/jwks.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(minter.jwks));
    seen.push(req.url ?? '');
    // The provider's token endpoint, for the oauth-token rows: the client `good` is the only one it knows.
    if (req.url === '/oauth2/token') {
      let form = '';
      req.on('data', (chunk: Buffer) => (form += chunk.toString()));
      req.on('end', () => {
        const known = new URLSearchParams(form).get('client_id') === 'good';
        res
          .writeHead(known ? 200 : 401, { 'content-type': 'application/json' })
          .end(JSON.stringify(known ? {} : { error: 'invalid_client' }));
      });
      return;
    }
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const service of gateways) await service.stop();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
  await redis.stop();
});

beforeEach(() => {
  seen = [];
});

describe('rate limits from the table, counted in Redis', () => {
  let url: string;
  beforeAll(async () => {
    url = await gateway();
  });

  it.each(TABLE)('%s: %s blocks at its threshold and opens again after its window', async (_name, path, limit, key) => {
    const address = nextAddress();
    // Every route here but the public ones needs a verified caller; per-user rows count that caller.
    const headers: Record<string, string> = {
      'x-forwarded-for': address,
      ...(path.startsWith('/auth/') && key === 'ip' ? {} : await bearer(`user-${address}`)),
    };
    for (let i = 0; i < limit; i++) {
      const allowed = await call(url, path, headers);
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get('ratelimit')).toMatch(new RegExp(`; r=${limit - i - 1}; t=\\d+$`));
      await allowed.arrayBuffer();
    }
    const retryAfter = await expectRateLimited(await call(url, path, headers), limit);
    expect(seen).toHaveLength(limit); // the refused request never reached the service
    await sleep(retryAfter * 1_000 + 100);
    const reopened = await call(url, path, headers);
    expect(reopened.status).toBe(200);
    expect(await reopened.json()).toEqual({ path: path });
  });

  it('keys per-user rows on the verified subject, whatever the token or address, and unverified requests on the address', async () => {
    const user = `user-${nextAddress()}`;
    // A new token per request (a client that signs in again) still counts against the same user.
    for (let i = 0; i < 3; i++) {
      const token = await minter.sign(user, { expiresIn: `${5 + i}m` });
      expect(
        (await call(url, '/auth/request-deletion', { authorization: `Bearer ${token}`, 'x-forwarded-for': nextAddress() })).status,
      ).toBe(200);
    }
    await expectRateLimited(await call(url, '/auth/request-deletion', { ...(await bearer(user)), 'x-forwarded-for': nextAddress() }), 3);

    const address = nextAddress();
    expect((await call(url, '/auth/request-deletion', { ...(await bearer(`user-${address}`)), 'x-forwarded-for': address })).status).toBe(
      200,
    );
    // Refused by the JWT check, yet counted against the address: forged tokens meet the limits too.
    const forged = { authorization: `Bearer ${await minter.sign('someone', { audience: 'elsewhere' })}`, 'x-forwarded-for': address };
    for (let i = 0; i < 3; i++) expect((await call(url, '/auth/request-deletion', forged)).status).toBe(401);
    await expectRateLimited(await call(url, '/auth/request-deletion', forged), 3);
    expect(seen).toEqual(['/auth/request-deletion', '/auth/request-deletion', '/auth/request-deletion', '/auth/request-deletion']);
  });

  it('counts a path however it is spelled, and keeps rows apart from each other and from the default', async () => {
    const address = nextAddress();
    const headers = { 'x-forwarded-for': address, ...(await bearer(`user-${address}`)) };
    expect((await call(url, '/waitlist/join', headers)).status).toBe(200);
    await expectRateLimited(await call(url, '/WAITLIST/Join/', headers), 1);
    expect((await call(url, '/auth/login', headers)).status).toBe(200);
    expect((await call(url, '/users/me', headers)).status).toBe(200);
  });

  it('uses X-Forwarded-For from a trusted hop (loopback) as the client address', async () => {
    const first = nextAddress();
    for (let i = 0; i < 5; i++) expect((await call(url, '/auth/login', { 'x-forwarded-for': first })).status).toBe(200);
    await expectRateLimited(await call(url, '/auth/login', { 'x-forwarded-for': first }), 5);
    expect((await call(url, '/auth/login', { 'x-forwarded-for': nextAddress() })).status).toBe(200);
  });

  it('ignores X-Forwarded-For when the hop is not trusted', async () => {
    const untrusting = await gateway({ TRUST_PROXY: 'false', RATE_LIMIT_LOGIN: `2/${WINDOW}` });
    // Every request claims another address; all of them come from 127.0.0.1 and count together.
    expect((await call(untrusting, '/auth/login', { 'x-forwarded-for': nextAddress() })).status).toBe(200);
    expect((await call(untrusting, '/auth/login', { 'x-forwarded-for': nextAddress() })).status).toBe(200);
    await expectRateLimited(await call(untrusting, '/auth/login', { 'x-forwarded-for': nextAddress() }), 2);
  });

  it('reaches the upstream the same way with limits on (under the limit) and off', async () => {
    const unlimited = await gateway({ RATE_LIMITS_ENABLED: 'false', REDIS_URL: '' });
    const headers = { 'x-forwarded-for': nextAddress() };
    const limited = await call(url, '/auth/login', headers);
    const open = await call(unlimited, '/auth/login', headers);
    expect([limited.status, open.status]).toEqual([200, 200]);
    expect(await limited.json()).toEqual(await open.json());
    expect(seen).toEqual(['/auth/login', '/auth/login']);
    expect(limited.headers.get('ratelimit')).toMatch(/; r=4;/);
    expect(open.headers.get('ratelimit')).toBeNull();
    expect(await redisMode(unlimited)).toBeUndefined();
  });
});

describe("the provider's token endpoint (client-secret and code guessing)", () => {
  let url: string;
  beforeAll(async () => {
    // The default row counts every request here too; above these rows, so that they are what trips.
    url = await gateway({
      RATE_LIMIT_OAUTH_TOKEN: `3/${WINDOW}`,
      RATE_LIMIT_OAUTH_TOKEN_CLIENT: `5/${WINDOW}`,
      RATE_LIMIT_DEFAULT: `20/${WINDOW}`,
    });
  });

  const token = (clientId: string, address: string) =>
    fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': address },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: 'guess', client_id: clientId }),
    });

  async function expectOAuthRateLimited(response: Response, limit: number) {
    expect(response.status).toBe(429);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.headers.get('ratelimit-policy')).toMatch(new RegExp(`; q=${limit}; w=${WINDOW_SECONDS}(;|$)`));
    // A problem for our clients, and `error` for OAuth libraries, which show it.
    expect(await response.json()).toMatchObject({ code: 'rate_limited', status: 429, error: 'rate_limited' });
  }

  it('stops failed token requests from one address, whichever clients they name', async () => {
    const address = nextAddress();
    for (let i = 0; i < 3; i++) expect((await token(`made-up-${i}`, address)).status).toBe(401);
    await expectOAuthRateLimited(await token('made-up-x', address), 3);
    expect(seen.filter((path) => path === '/oauth2/token')).toHaveLength(3);
  });

  it('stops failed token requests against one client from many addresses, by Basic credentials or form', async () => {
    for (let i = 0; i < 5; i++) expect((await token('victim', nextAddress())).status).toBe(401);
    await expectOAuthRateLimited(await token('victim', nextAddress()), 5);
    const basic = await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('victim:guess').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': nextAddress(),
      },
      body: 'grant_type=client_credentials',
    });
    await expectOAuthRateLimited(basic, 5);
  });

  it('never counts an app’s successful requests against it', async () => {
    const address = nextAddress();
    for (let i = 0; i < 8; i++) expect((await token('good', address)).status).toBe(200);
    expect((await token('made-up', address)).status).toBe(401);
  });
});

describe('two gateway instances sharing one Redis, through an outage', () => {
  let a: string;
  let b: string;
  let c: string;
  const lines: string[] = [];
  const logged = (text: string) => lines.filter((line) => line.includes(text)).length;

  beforeAll(async () => {
    a = await gateway({}, lines);
    b = await gateway();
  });

  it('admit exactly N of 50 concurrent requests together', async () => {
    expect(await burst([a, b], '/auth/login', { 'x-forwarded-for': nextAddress() })).toEqual({ 200: 5, 429: 45 });
    expect(await redisMode(a)).toBe('shared');
  });

  it('keep answering with per-instance limits while Redis is down, and say so', async () => {
    await redis.stop();
    // Each instance counts for itself now: 5 each, and never a 5xx.
    expect(await burst([a, b], '/auth/login', { 'x-forwarded-for': nextAddress() })).toEqual({ 200: 10, 429: 40 });
    const ready = await readyz(a);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { redis: { status: 'up', critical: false, detail: { mode: 'per-instance', outages: 1 } } },
    });
    expect(await redisMode(b)).toBe('per-instance');
    await burst([a], '/users/me', { 'x-forwarded-for': nextAddress() }, 10);
    expect(logged('Redis is unavailable')).toBe(1); // once per outage, not per request or route

    // An instance that starts during the outage serves too, per instance.
    c = await gateway();
    expect(await burst([c], '/auth/login', { 'x-forwarded-for': nextAddress() }, 10)).toEqual({ 200: 5, 429: 5 });
    expect(await redisMode(c)).toBe('per-instance');
  });

  it('return to shared limits by themselves when Redis answers again on the same port', async () => {
    await redis.start();
    const deadline = Date.now() + 10_000;
    while ((await redisMode(a)) !== 'shared' || (await redisMode(b)) !== 'shared' || (await redisMode(c)) !== 'shared') {
      if (Date.now() > deadline) throw new Error('the gateways did not return to shared limits');
      await sleep(200);
    }
    expect(await burst([a, b, c], '/auth/login', { 'x-forwarded-for': nextAddress() })).toEqual({ 200: 5, 429: 45 });
    expect(logged('Redis answers again')).toBe(1);
    const detail = ((await (await readyz(a)).json()) as { checks: { redis: { detail: { fallbacks: number } } } }).checks.redis.detail;
    expect(detail.fallbacks).toBeGreaterThan(0);
  });
});
