import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { CAPTCHA_PROOF_HEADER, isCaptchaProofValid, type Env, type Service } from '@solar/chassis';
import { capturingLogger, testInfra, uniqueName } from '@solar/chassis/testing';
import { createGatewayService } from '../src/main';
import { RedisServer } from './support/redis-server';

/**
 * Every CAPTCHA path against a local siteverify server speaking the providers' documented API
 * (form-encoded secret, response, remoteip → {success, error-codes}), with the shared test Redis
 * holding the single-use claims. Tokens carry this file's unique name, so claims never collide.
 */
const infra = testInfra();
const run = uniqueName('captcha');
const SECRET = 'siteverify-secret';

interface Asked {
  contentType: string | undefined;
  form: Record<string, string>;
}
let provider: Server;
let providerUrl: string;
let providerMode: 'normal' | 'error' | 'hang' = 'normal';
/** Like the real providers, which accept a token once: off by default, so the gateway's own refusal shows. */
let providerSingleUse = false;
const solved = new Set<string>();
let asked: Asked[] = [];
let upstream: Server;
let upstreamUrl: string;
let received: { url: string; body: Buffer; contentLength: string | undefined; proof: string | undefined }[] = [];
let closedUrl: string;
const gateways: Service[] = [];
let counter = 0;

/** good: solved on our page; foreign: solved on another site with our key; act-<name>: for that action, on our page. */
const token = (kind: 'good' | 'bad' | 'ours' | 'foreign' | `act-${string}`) => `${kind}.${run}.${++counter}`;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
      RATE_LIMITS_ENABLED: 'false',
      QUOTAS_ENABLED: 'false',
      REDIS_URL: infra.redisUrl,
      BODY_LIMIT_BYTES: '2048',
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: SECRET,
      CAPTCHA_VERIFY_URL: providerUrl,
      CAPTCHA_TIMEOUT: '300ms',
      ...extra,
    },
    logger ? { logger } : {},
  );
  gateways.push(service);
  return `http://127.0.0.1:${(await service.start()).port}`;
}

function post(url: string, path: string, body: string, headers: Record<string, string> = {}) {
  return fetch(`${url}/v1${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

async function expectProblem(response: Response, status: number, code: string): Promise<void> {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(await response.json()).toMatchObject({ status, code });
}

beforeAll(async () => {
  provider = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
      asked.push({ contentType: req.headers['content-type'], form });
      if (providerMode === 'hang') return;
      if (providerMode === 'error') return void res.writeHead(502).end('upstream trouble');
      const answer =
        providerSingleUse && solved.has(form.response ?? '')
          ? { success: false, 'error-codes': ['timeout-or-duplicate'] }
          : form.secret !== SECRET || form.response?.startsWith('ours.')
            ? { success: false, 'error-codes': ['invalid-input-secret'] }
            : form.response?.startsWith('good.')
              ? { success: true, hostname: 'app.solar.test' }
              : form.response?.startsWith('foreign.')
                ? { success: true, hostname: 'tokens.attacker.example' }
                : form.response?.startsWith('act-')
                  ? { success: true, hostname: 'App.Solar.Test', action: form.response.slice(4, form.response.indexOf('.')) }
                  : { success: false, 'error-codes': ['invalid-input-response'] };
      if (answer.success) solved.add(form.response ?? '');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  providerUrl = `${await listen(provider)}/siteverify`;
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const proof = req.headers[CAPTCHA_PROOF_HEADER];
      received.push({
        url: req.url ?? '',
        body: Buffer.concat(chunks),
        contentLength: req.headers['content-length'],
        proof: typeof proof === 'string' ? proof : undefined,
      });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"joined":true}');
    });
  });
  upstreamUrl = await listen(upstream);
  const probe = createServer();
  closedUrl = `${await listen(probe)}/siteverify`;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  for (const service of gateways) await service.stop();
  for (const server of [provider, upstream]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

beforeEach(() => {
  asked = [];
  received = [];
  providerMode = 'normal';
  providerSingleUse = false;
});

describe('CAPTCHA on waitlist/join', () => {
  let url: string;
  beforeAll(async () => {
    url = await gateway();
  });

  it('passes a good token and forwards the very bytes the client sent', async () => {
    const good = token('good');
    const body = `{ "email": "ada@example.test",\n  "captchaToken": "${good}", "note": "é ✓" }`;
    const response = await post(url, '/waitlist/join', body, { 'x-forwarded-for': '198.51.100.7' });
    expect(response.status).toBe(202);
    expect(received).toHaveLength(1);
    expect(received[0]!.url).toBe('/waitlist/join');
    expect(received[0]!.body.equals(Buffer.from(body))).toBe(true);
    expect(received[0]!.contentLength).toBe(String(Buffer.byteLength(body)));
    expect(asked).toEqual([
      {
        contentType: expect.stringContaining('application/x-www-form-urlencoded'),
        form: { secret: SECRET, response: good, remoteip: '198.51.100.7' },
      },
    ]);
  });

  it('forwards a chunked body (no content-length) whole', async () => {
    const body = JSON.stringify({ email: 'chunked@example.test', captchaToken: token('good') });
    const response = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/v1/waitlist/join`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setImmediate(() => req.end(body.slice(10)));
    });
    expect(response).toBe(202);
    expect(received[0]!.body.toString()).toBe(body);
  });

  it('refuses a missing token with 400 captcha_failed, without asking the provider or the service', async () => {
    await expectProblem(await post(url, '/waitlist/join', '{"email":"ada@example.test"}'), 400, 'captcha_failed');
    await expectProblem(await post(url, '/waitlist/join', '{"email":"ada@example.test","captchaToken":""}'), 400, 'captcha_failed');
    await expectProblem(await post(url, '/waitlist/join', '{"captchaToken":42}'), 400, 'captcha_failed');
    await expectProblem(await post(url, '/WAITLIST/Join/', '{}'), 400, 'captcha_failed');
    expect(asked).toHaveLength(0);
    expect(received).toHaveLength(0);
  });

  it('refuses a body that is not JSON with 400', async () => {
    await expectProblem(await post(url, '/waitlist/join', 'captchaToken=good'), 400, 'malformed_json');
    expect(received).toHaveLength(0);
  });

  it('refuses a token the provider rejects with 400 captcha_failed', async () => {
    await expectProblem(await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('bad') })), 400, 'captcha_failed');
    expect(asked).toHaveLength(1);
    expect(received).toHaveLength(0);
  });

  it('refuses a reused token locally even though the provider would accept it, on every replica', async () => {
    const body = JSON.stringify({ email: 'ada@example.test', captchaToken: token('good') });
    expect((await post(url, '/waitlist/join', body)).status).toBe(202);
    await expectProblem(await post(url, '/waitlist/join', body), 400, 'captcha_failed');
    const replica = await gateway();
    await expectProblem(await post(replica, '/waitlist/join', body), 400, 'captcha_failed');
    expect(asked).toHaveLength(1);
    expect(received).toHaveLength(1);
  });

  it('lets only one of many concurrent uses of one token through', async () => {
    const body = JSON.stringify({ captchaToken: token('good') });
    const statuses = await Promise.all(Array.from({ length: 10 }, () => post(url, '/waitlist/join', body).then((r) => r.status)));
    expect(statuses.filter((status) => status === 202)).toHaveLength(1);
    expect(statuses.filter((status) => status === 400)).toHaveLength(9);
  });

  it('answers 503 when the provider fails, and the same token passes once it is back', async () => {
    const body = JSON.stringify({ captchaToken: token('good') });
    providerMode = 'error';
    const failed = await post(url, '/waitlist/join', body);
    expect(failed.headers.get('retry-after')).toBe('10');
    await expectProblem(failed, 503, 'service_unavailable');
    providerMode = 'hang';
    await expectProblem(await post(url, '/waitlist/join', body), 503, 'service_unavailable');
    providerMode = 'normal';
    expect((await post(url, '/waitlist/join', body)).status).toBe(202);
    expect(received).toHaveLength(1);
  });

  it('answers 503, not 400, when the provider blames our secret', async () => {
    await expectProblem(await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('ours') })), 503, 'service_unavailable');
  });

  it('refuses a chunked body over the limit with 413 before reading further', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${url}/v1/waitlist/join`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
        // The body was never finished: this client hangs up, as the gateway asked (connection: close).
        req.destroy();
      });
      req.on('error', reject);
      req.write(`{"captchaToken":"${token('good')}","pad":"${'x'.repeat(3000)}`);
    });
    expect(status).toBe(413);
    expect(asked).toHaveLength(0);
    expect(received).toHaveLength(0);
  });
});

describe('CAPTCHA on sign-in (security review finding 4)', () => {
  const PROOF_KEY = `proof-key-${run}-0123456789abcdef0123456789`;
  let url: string;
  beforeAll(async () => {
    url = await gateway({ CAPTCHA_PROOF_KEY: PROOF_KEY });
  });

  it('passes a sign-in without a token untouched, without asking the provider', async () => {
    const body = '{"email":"Ada@Example.test","password":"correct horse"}';
    expect((await post(url, '/auth/login', body)).status).toBe(202);
    const form = await fetch(`${url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'username=ada%40example.test&password=x',
    });
    expect(form.status).toBe(202);
    // Not JSON: identity judges it, as it did before.
    expect((await post(url, '/auth/login', '{"email":')).status).toBe(202);
    expect(asked).toHaveLength(0);
    expect(received.map((r) => [r.url, r.proof])).toEqual([
      ['/auth/login', undefined],
      ['/auth/login', undefined],
      ['/auth/login', undefined],
    ]);
    expect(received[0]!.body.equals(Buffer.from(body))).toBe(true);
  });

  it('verifies a token and forwards the body unchanged with a proof bound to the address', async () => {
    const good = token('good');
    const body = JSON.stringify({ email: ' Ada@Example.test ', password: 'correct horse', captchaToken: good });
    expect((await post(url, '/auth/login', body, { 'x-forwarded-for': '198.51.100.8' })).status).toBe(202);
    expect(asked).toEqual([{ contentType: expect.any(String), form: { secret: SECRET, response: good, remoteip: '198.51.100.8' } }]);
    expect(received).toHaveLength(1);
    expect(received[0]!.body.equals(Buffer.from(body))).toBe(true);
    const { proof } = received[0]!;
    // Signed for the address as identity reads it (trimmed, lower-cased), and for no other.
    expect(isCaptchaProofValid(PROOF_KEY, proof, 'ada@example.test', new Date())).toBe(true);
    expect(isCaptchaProofValid(PROOF_KEY, proof, 'bob@example.test', new Date())).toBe(false);
  });

  it('refuses a bad, replayed or malformed token with 400 captcha_failed, forwarding nothing', async () => {
    await expectProblem(
      await post(url, '/auth/login', JSON.stringify({ email: 'a@example.test', password: 'x', captchaToken: token('bad') })),
      400,
      'captcha_failed',
    );
    const once = JSON.stringify({ email: 'a@example.test', password: 'x', captchaToken: token('good') });
    expect((await post(url, '/auth/login', once)).status).toBe(202);
    await expectProblem(await post(url, '/auth/login', once), 400, 'captcha_failed');
    await expectProblem(
      await post(url, '/auth/login', '{"email":"a@example.test","password":"x","captchaToken":""}'),
      400,
      'captcha_failed',
    );
    await expectProblem(
      await post(url, '/auth/login', '{"email":"a@example.test","password":"x","captchaToken":42}'),
      400,
      'captcha_failed',
    );
    expect(received).toHaveLength(1);
  });

  it('drops a proof the client sends itself, with or without a token', async () => {
    const forged = 'v1.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    expect((await post(url, '/auth/login', '{"email":"a@example.test","password":"x"}', { [CAPTCHA_PROOF_HEADER]: forged })).status).toBe(
      202,
    );
    const withToken = JSON.stringify({ email: 'nobody', password: 'x', captchaToken: token('good') });
    expect((await post(url, '/auth/login', withToken, { [CAPTCHA_PROOF_HEADER]: forged })).status).toBe(202);
    // Neither carries the client's header; the second, whose address identity will refuse, carries none of ours either.
    expect(received.map((r) => r.proof)).toEqual([undefined, undefined]);
    const none = await gateway({ CAPTCHA_PROVIDER: 'none' });
    expect((await post(none, '/auth/login', '{"email":"a@example.test","password":"x"}', { [CAPTCHA_PROOF_HEADER]: forged })).status).toBe(
      202,
    );
    expect(received[2]!.proof).toBeUndefined();
  });

  it('forwards a sign-in let through unjudged (fail-open) without a proof', async () => {
    const open = await gateway({ CAPTCHA_PROOF_KEY: PROOF_KEY, CAPTCHA_VERIFY_URL: closedUrl, CAPTCHA_FAIL_OPEN: 'true' });
    const body = JSON.stringify({ email: 'a@example.test', password: 'x', captchaToken: token('good') });
    expect((await post(open, '/auth/login', body)).status).toBe(202);
    expect(received.map((r) => r.proof)).toEqual([undefined]);
  });

  it('takes no token on sign-in without a CAPTCHA_PROOF_KEY: the request passes as it came', async () => {
    const keyless = await gateway();
    const body = JSON.stringify({ email: 'a@example.test', password: 'x', captchaToken: token('good') });
    expect((await post(keyless, '/auth/login', body)).status).toBe(202);
    expect(asked).toHaveLength(0);
    expect(received.map((r) => r.proof)).toEqual([undefined]);
  });
});

describe('CAPTCHA hostname and action (security review finding 11)', () => {
  it('refuses a passing token solved on another site, as it refuses an invalid one', async () => {
    const url = await gateway({ CAPTCHA_HOSTNAMES: 'accounts.solar.test, app.solar.test' });
    // Farmed on the attacker's own page with our (public) site key: the provider says success.
    await expectProblem(await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('foreign') })), 400, 'captcha_failed');
    expect(asked).toHaveLength(1);
    expect(received).toHaveLength(0);
    expect((await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('good') }))).status).toBe(202);
  });

  it('refuses a passing token solved for another action, or for none, when CAPTCHA_ACTION is set', async () => {
    const url = await gateway({ CAPTCHA_HOSTNAMES: 'app.solar.test', CAPTCHA_ACTION: 'signup' });
    await expectProblem(await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('act-login') })), 400, 'captcha_failed');
    await expectProblem(await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('good') })), 400, 'captcha_failed');
    expect(received).toHaveLength(0);
    expect((await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('act-signup') }))).status).toBe(202);
  });
});

describe('CAPTCHA settings', () => {
  it('lets requests through when the provider is unreachable only if CAPTCHA_FAIL_OPEN is on', async () => {
    const closed = await gateway({ CAPTCHA_VERIFY_URL: closedUrl });
    await expectProblem(await post(closed, '/waitlist/join', JSON.stringify({ captchaToken: token('good') })), 503, 'service_unavailable');
    const open = await gateway({ CAPTCHA_VERIFY_URL: closedUrl, CAPTCHA_FAIL_OPEN: 'true' });
    const body = JSON.stringify({ captchaToken: token('good') });
    expect((await post(open, '/waitlist/join', body)).status).toBe(202);
    // Let through unjudged, the token is spent all the same.
    await expectProblem(await post(open, '/waitlist/join', body), 400, 'captcha_failed');
    // Fail-open still needs a token: it only covers the provider's outage.
    await expectProblem(await post(open, '/waitlist/join', '{}'), 400, 'captcha_failed');
  });

  it('checks register only when CAPTCHA_ON_REGISTER is on', async () => {
    const off = await gateway();
    expect((await post(off, '/auth/register', '{"email":"a@example.test","password":"x"}')).status).toBe(202);
    expect(asked).toHaveLength(0);
    const on = await gateway({ CAPTCHA_ON_REGISTER: 'true' });
    await expectProblem(await post(on, '/auth/register', '{"email":"a@example.test","password":"x"}'), 400, 'captcha_failed');
    expect((await post(on, '/auth/register', JSON.stringify({ email: 'a@example.test', captchaToken: token('good') }))).status).toBe(202);
  });

  it('leaves replays to the provider while Redis is down, and says so once', async () => {
    providerSingleUse = true;
    const lines: string[] = [];
    const probe = createServer();
    const deadRedis = (await listen(probe)).replace('http://', 'redis://');
    await new Promise((resolve) => probe.close(resolve));
    const url = await gateway({ REDIS_URL: deadRedis }, lines);
    const good = token('good');
    const body = JSON.stringify({ captchaToken: good });
    expect((await post(url, '/waitlist/join', body)).status).toBe(202);
    await expectProblem(await post(url, '/waitlist/join', body), 400, 'captcha_failed');
    await expectProblem(await post(url, '/waitlist/join', JSON.stringify({ captchaToken: token('bad') })), 400, 'captcha_failed');
    // No claim could be kept: the replay was asked of the provider, whose single-use rule refused it.
    expect(asked.map(({ form }) => form.response)).toEqual([good, good, expect.stringMatching(/^bad\./)]);
    expect(received).toHaveLength(1);
    expect(lines.filter((line) => line.includes('CAPTCHA replays are refused by the provider alone'))).toHaveLength(1);
  });

  it('lets everything through with CAPTCHA_PROVIDER=none (development and tests only)', async () => {
    const none = await gateway({ CAPTCHA_PROVIDER: 'none' });
    expect((await post(none, '/waitlist/join', '{"email":"a@example.test"}')).status).toBe(202);
    expect(asked).toHaveLength(0);
  });
});

describe('CAPTCHA while Redis goes away mid-run and comes back', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(() => redis.stop());

  /** Uses a fresh token, then replays it: the responses the provider was asked for, in order. */
  async function useTwice(url: string): Promise<{ good: string; asked: (string | undefined)[] }> {
    asked = [];
    const good = token('good');
    const body = JSON.stringify({ captchaToken: good });
    expect((await post(url, '/waitlist/join', body)).status).toBe(202);
    await expectProblem(await post(url, '/waitlist/join', body), 400, 'captcha_failed');
    return { good, asked: asked.map(({ form }) => form.response) };
  }

  it('refuses replays itself, leaves them to the provider while Redis is gone, and claims again once it is back', async () => {
    providerSingleUse = true;
    const lines: string[] = [];
    const url = await gateway({ REDIS_URL: redis.url }, lines);
    const logged = (text: string) => lines.filter((line) => line.includes(text)).length;

    const before = await useTwice(url);
    expect(before.asked).toEqual([before.good]); // the replay was refused here, the provider not asked

    await redis.stop();
    const during = await useTwice(url);
    expect(during.asked).toEqual([during.good, during.good]); // asked twice; the provider refused the second
    expect(logged('CAPTCHA replays are refused by the provider alone')).toBe(1);

    await redis.start();
    // ioredis reconnects by itself (within its 2 s backoff): until then a replay still reaches the provider.
    const deadline = Date.now() + 15_000;
    let after = await useTwice(url);
    while (after.asked.length !== 1) {
      if (Date.now() > deadline) throw new Error('the gateway did not claim CAPTCHA tokens in Redis again');
      await sleep(200);
      after = await useTwice(url);
    }
    expect(after.asked).toEqual([after.good]);
    expect(logged('Redis answers again: CAPTCHA tokens are claimed once more')).toBe(1);
    expect(logged('CAPTCHA replays are refused by the provider alone')).toBe(1);
  });
});
