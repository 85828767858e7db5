import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Service } from '@solar/chassis';
import { TokenMinter } from '@solar/chassis/testing';
import { createGatewayService } from '../src/main';

/** A stand-in upstream: the gateway's job here is transport, whatever service answers. */
let upstream: Server;
let upstreamPort: number;
let seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let closedPort: number;
let minter: TokenMinter;
let bearer: { authorization: string };
const gateways: Service[] = [];

async function gateway(identityUrl: string, timeout = '10s') {
  const service = createGatewayService({
    NODE_ENV: 'test',
    LOG_LEVEL: 'fatal',
    GATEWAY_PORT: '0',
    HOST: '127.0.0.1',
    IDENTITY_URL: identityUrl,
    UPSTREAM_TIMEOUT: timeout,
    BODY_LIMIT_BYTES: '1024',
    WEBHOOK_BODY_LIMIT_BYTES: '4096',
    NOTIFICATION_URL: identityUrl,
    // Transport only here; rate limits have their own tests (rate-limits*.test.ts).
    RATE_LIMITS_ENABLED: 'false',
    QUOTAS_ENABLED: 'false',
  });
  gateways.push(service);
  const { port, metricsPort } = await service.start();
  const url = `http://127.0.0.1:${port}`;
  readinessOf.set(url, `http://127.0.0.1:${metricsPort}/readyz`);
  return url;
}

/** Each gateway's detailed readiness, on its metrics port (the public /readyz is status only). */
const readinessOf = new Map<string, string>();

beforeAll(async () => {
  minter = await TokenMinter.generate();
  bearer = { authorization: `Bearer ${await minter.sign('user-1')}` };
  upstream = createServer((req, res) => {
    // The stand-in is identity for the gateway's JWT check too.
    if (req.url === '/.well-known/jwks.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(minter.jwks));
    seen.push({ url: req.url ?? '', headers: req.headers });
    if (req.url?.startsWith('/auth/slow')) return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  for (const service of gateways) await service.stop();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

beforeEach(() => {
  seen = [];
});

describe('gateway routing', () => {
  it('forwards /v1/auth/* to identity without the version segment, with the request id', async () => {
    const url = await gateway(`http://127.0.0.1:${upstreamPort}`);
    const response = await fetch(`${url}/v1/auth/register?x=1`, { method: 'POST', headers: { 'x-request-id': 'req-123' }, body: '{}' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ path: '/auth/register?x=1' });
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(seen[0]?.headers['x-request-id']).toBe('req-123');
    expect(seen[0]?.headers['x-forwarded-for']).toBeDefined();
  });

  it('forwards the admin job and report routes to lifecycle, the rest of /admin to identity', async () => {
    const lifecycle = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ lifecycle: req.url }));
    });
    await new Promise<void>((resolve) => lifecycle.listen(0, '127.0.0.1', resolve));
    const service = createGatewayService({
      NODE_ENV: 'test',
      LOG_LEVEL: 'fatal',
      GATEWAY_PORT: '0',
      HOST: '127.0.0.1',
      IDENTITY_URL: `http://127.0.0.1:${upstreamPort}`,
      NOTIFICATION_URL: `http://127.0.0.1:${upstreamPort}`,
      LIFECYCLE_URL: `http://127.0.0.1:${(lifecycle.address() as AddressInfo).port}`,
      RATE_LIMITS_ENABLED: 'false',
      QUOTAS_ENABLED: 'false',
    });
    gateways.push(service);
    try {
      const url = `http://127.0.0.1:${(await service.start()).port}`;
      expect(await (await fetch(`${url}/v1/admin/jobs?state=failed`, { headers: bearer })).json()).toEqual({
        lifecycle: '/admin/jobs?state=failed',
      });
      expect(await (await fetch(`${url}/v1/admin/reports/daily`, { headers: bearer })).json()).toEqual({
        lifecycle: '/admin/reports/daily',
      });
      const retry = await fetch(`${url}/v1/admin/jobs/0123456789abcdef01234567/retry`, { method: 'POST', headers: bearer });
      expect(await retry.json()).toEqual({ lifecycle: '/admin/jobs/0123456789abcdef01234567/retry' });
      expect(await (await fetch(`${url}/v1/admin/users?q=ada`, { headers: bearer })).json()).toEqual({ path: '/admin/users?q=ada' });
    } finally {
      lifecycle.closeAllConnections();
      await new Promise((resolve) => lifecycle.close(resolve));
    }
  });

  it('keeps the client connection alive across proxied requests', async () => {
    const url = await gateway(`http://127.0.0.1:${upstreamPort}`);
    const response = await fetch(`${url}/v1/auth/ping`, { headers: bearer });
    expect(response.headers.get('connection')).not.toBe('close');
  });

  it('answers 404 problem+json for paths it does not route', async () => {
    const url = await gateway(`http://127.0.0.1:${upstreamPort}`);
    const response = await fetch(`${url}/v1/unknown`, { headers: bearer });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(seen).toHaveLength(0);
  });

  it('refuses an announced body over the limit without bothering the upstream', async () => {
    const url = await gateway(`http://127.0.0.1:${upstreamPort}`);
    const response = await fetch(`${url}/v1/auth/register`, { method: 'POST', body: 'x'.repeat(2048) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ code: 'payload_too_large' });
    expect(seen).toHaveLength(0);
  });

  it('gives provider webhooks a limit of their own', async () => {
    const url = await gateway(`http://127.0.0.1:${upstreamPort}`);
    const batch = await fetch(`${url}/v1/webhooks/email/sendgrid`, { method: 'POST', body: 'x'.repeat(3000) });
    expect(batch.status).toBe(200);
    expect(await batch.json()).toEqual({ path: '/webhooks/email/sendgrid' });
    const huge = await fetch(`${url}/v1/webhooks/email/sendgrid`, { method: 'POST', body: 'x'.repeat(5000) });
    expect(huge.status).toBe(413);
  });
});

describe('gateway upstream failures', () => {
  it('answers 502 problem+json when the upstream is down, without internals', async () => {
    const url = await gateway(`http://127.0.0.1:${closedPort}`);
    const response = await fetch(`${url}/v1/auth/register`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'bad_gateway', status: 502 });
    expect(body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|stack/);
  });

  it('answers 504 problem+json when the upstream is too slow', async () => {
    const url = await gateway(`http://127.0.0.1:${upstreamPort}`, '300ms');
    // The upstream never answers: any answer at all is the gateway's own timeout.
    const response = await fetch(`${url}/v1/auth/slow`, { headers: bearer });
    expect(response.status).toBe(504);
    expect(await response.json()).toMatchObject({ code: 'gateway_timeout' });
  });

  it('reports the upstream in readiness', async () => {
    const down = await gateway(`http://127.0.0.1:${closedPort}`);
    const response = await fetch(`${down}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'not_ready' });
    const detailed = await fetch(readinessOf.get(down)!);
    expect(detailed.status).toBe(503);
    expect(await detailed.json()).toMatchObject({ ready: false, checks: { identity: { status: 'down' } } });
  });
});
