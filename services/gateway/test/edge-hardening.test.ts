import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import type { Env, Service } from '@solar/chassis';
import { TokenMinter } from '@solar/chassis/testing';
import { createGatewayService } from '../src/main';

/**
 * The gateway's edge: security headers, CORS, request ids, no upstream internals, and one retry of
 * idempotent requests whose connection failed before any response byte. The upstream is a stand-in.
 */
let minter: TokenMinter;
let bearer: { authorization: string };
let upstream: Server;
let upstreamUrl: string;
let seen: { method: string; url: string; body: string; headers: IncomingHttpHeaders }[] = [];
const gateways: Service[] = [];

async function listen(server: Server | TcpServer): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function gateway(extra: Env = {}): Promise<string> {
  const service = createGatewayService({
    NODE_ENV: 'test',
    LOG_LEVEL: 'fatal',
    GATEWAY_PORT: '0',
    HOST: '127.0.0.1',
    IDENTITY_URL: upstreamUrl,
    NOTIFICATION_URL: upstreamUrl,
    IDENTITY_JWKS_URL: `${upstreamUrl}/.well-known/jwks.json`,
    RATE_LIMITS_ENABLED: 'false',
    QUOTAS_ENABLED: 'false',
    ...extra,
  });
  gateways.push(service);
  return `http://127.0.0.1:${(await service.start()).port}`;
}

beforeAll(async () => {
  minter = await TokenMinter.generate();
  bearer = { authorization: `Bearer ${await minter.sign('user-1')}` };
  upstream = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(minter.jwks));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', body: Buffer.concat(chunks).toString(), headers: req.headers });
      if (req.url === '/users/crash')
        return void res
          .writeHead(500, { 'content-type': 'text/html', 'x-powered-by': 'Express' })
          .end('<pre>TypeError: boom\n    at /srv/identity/dist/src/users/user.repository.js:42:13</pre>');
      if (req.url === '/users/problem')
        return void res
          .writeHead(503, { 'content-type': 'application/problem+json' })
          .end(JSON.stringify({ status: 503, code: 'service_unavailable', title: 'Service unavailable', detail: 'Try again' }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, path: req.url }));
    });
  });
  upstreamUrl = `http://127.0.0.1:${await listen(upstream)}`;
});

afterAll(async () => {
  for (const service of gateways) await service.stop();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

beforeEach(() => {
  seen = [];
});

describe('security headers', () => {
  it('puts helmet headers on every answer: health, proxied, refused and unknown routes', async () => {
    const url = await gateway();
    const answers = [
      await fetch(`${url}/healthz`),
      await fetch(`${url}/v1/users/me`, { headers: bearer }),
      await fetch(`${url}/v1/users/me`),
      await fetch(`${url}/nowhere`),
    ];
    for (const response of answers) {
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('x-powered-by')).toBeNull();
    }
  });
});

describe('JWT check when identity cannot be asked', () => {
  it("answers 503, not 401, when identity's key set cannot be read", async () => {
    const probe = createTcpServer();
    const port = await listen(probe);
    await new Promise((resolve) => probe.close(resolve));
    const url = await gateway({ IDENTITY_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    const response = await fetch(`${url}/v1/users/me`, { headers: bearer });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'service_unavailable' });
    expect(seen).toHaveLength(0);
  });
});

describe('request ids', () => {
  it('passes a well-formed id in and out, and replaces a missing or malformed one', async () => {
    const url = await gateway();
    const kept = await fetch(`${url}/v1/users/me`, { headers: { ...bearer, 'x-request-id': 'client-id-1' } });
    expect(kept.headers.get('x-request-id')).toBe('client-id-1');
    const replaced = await fetch(`${url}/v1/users/me`, { headers: { ...bearer, 'x-request-id': 'bad id\twith spaces' } });
    const fresh = await fetch(`${url}/v1/users/me`, { headers: bearer });
    for (const response of [replaced, fresh]) expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.map((request) => request.headers['x-request-id'])).toEqual([
      'client-id-1',
      replaced.headers.get('x-request-id'),
      fresh.headers.get('x-request-id'),
    ]);
  });
});

describe('CORS', () => {
  const allowed = 'https://app.solar.test';
  let url: string;
  beforeAll(async () => {
    url = await gateway({ CORS_ORIGINS: `${allowed}, https://admin.solar.test` });
  });

  it('answers a preflight from an allowed origin itself, without credentials by default', async () => {
    const response = await fetch(`${url}/v1/users/me`, {
      method: 'OPTIONS',
      headers: {
        origin: allowed,
        'access-control-request-method': 'PATCH',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-allow-methods')).toContain('PATCH');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('access-control-max-age')).toBe('600');
    expect(seen).toHaveLength(0);
  });

  it('gives an unknown origin no CORS headers, and ends its preflight at the gateway', async () => {
    const preflight = await fetch(`${url}/v1/users/me`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${url}/v1/users/me`, { headers: { ...bearer, origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    expect(simple.headers.get('vary')).toMatch(/origin/i);
    // A look-alike of an allowed origin is another origin.
    const lookalike = await fetch(`${url}/v1/users/me`, { headers: { ...bearer, origin: 'https://app.solar.test.evil.example' } });
    expect(lookalike.headers.get('access-control-allow-origin')).toBeNull();
    expect(seen.filter((request) => request.method === 'OPTIONS')).toHaveLength(0);
  });

  it('exposes the headers a browser client needs on an allowed origin', async () => {
    const response = await fetch(`${url}/v1/users/me`, { headers: { ...bearer, origin: allowed } });
    expect(response.headers.get('access-control-allow-origin')).toBe(allowed);
    expect(response.headers.get('access-control-expose-headers')).toContain('ratelimit');
    expect(response.headers.get('access-control-expose-headers')).toContain('x-request-id');
  });

  it('allows credentials only when configured', async () => {
    const withCredentials = await gateway({ CORS_ORIGINS: allowed, CORS_CREDENTIALS: 'true' });
    const response = await fetch(`${withCredentials}/v1/users/me`, { headers: { ...bearer, origin: allowed } });
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
  });

  it('refuses wildcard or path origins at start', () => {
    expect(() => createGatewayService({ RATE_LIMITS_ENABLED: 'false', QUOTAS_ENABLED: 'false', CORS_ORIGINS: '*' })).toThrow(
      /CORS_ORIGINS/,
    );
    expect(() =>
      createGatewayService({ RATE_LIMITS_ENABLED: 'false', QUOTAS_ENABLED: 'false', CORS_ORIGINS: 'https://a.test/app' }),
    ).toThrow(/CORS_ORIGINS/);
  });
});

describe('upstream internals', () => {
  it('replaces a 5xx that is not a problem document (a stack trace) with a plain 502 problem', async () => {
    const url = await gateway();
    const response = await fetch(`${url}/v1/users/crash`, { headers: bearer });
    expect(response.status).toBe(502);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    const body = await response.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'bad_gateway' });
    expect(body).not.toMatch(/TypeError|\/srv\/|\.js:|stack/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it("passes a service's own problem document through", async () => {
    const url = await gateway();
    const response = await fetch(`${url}/v1/users/problem`, { headers: bearer });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'service_unavailable', detail: 'Try again' });
  });
});

describe('undeclared methods', () => {
  it.each([
    ['DELETE', '/v1/auth/login', 'POST'],
    ['PUT', '/v1/users/me', 'GET, HEAD, PATCH'],
    ['GET', '/v1/users/me/sessions/3f0c2a52-8d51-4cde-9a0e-0d6a3c0f6a11', 'DELETE'],
    ['DELETE', '/v1/Admin/Waitlist/w-1/approve/', 'POST'],
  ])('answers %s %s with 405 problem+json and Allow: %s, without asking the service', async (method, path, allow) => {
    const url = await gateway();
    const response = await fetch(`${url}${path}`, { method, headers: bearer });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 405, code: 'method_not_allowed' });
    expect(seen).toHaveLength(0);
  });

  it('says 405 before asking for a token: the method is wrong whoever calls', async () => {
    const url = await gateway();
    expect((await fetch(`${url}/v1/users/me/sessions`, { method: 'POST' })).status).toBe(405);
  });

  it('passes declared methods, HEAD of a GET, OPTIONS and paths outside the API to the service', async () => {
    const url = await gateway();
    for (const [method, path] of [
      ['GET', '/v1/users/me'],
      ['HEAD', '/v1/users/me'],
      ['OPTIONS', '/v1/auth/login'],
      ['PUT', '/v1/users/stand-in'],
    ] as const)
      expect({ method, path, status: (await fetch(`${url}${path}`, { method, headers: bearer })).status }).toEqual({
        method,
        path,
        status: 200,
      });
    expect(seen.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /users/me',
      'HEAD /users/me',
      'OPTIONS /auth/login',
      'PUT /users/stand-in',
    ]);
  });
});

describe('retries', () => {
  // The proxy's own behaviour for every method, so on a path outside the API: the API's paths refuse
  // the methods they do not declare with 405 before the proxy (see 'undeclared methods').
  const STAND_IN = '/v1/users/stand-in';

  /**
   * An upstream whose first `drops` connections are cut before any answer; the later ones reach the
   * stand-in. Each test gets its own, so the gateway's keep-alive pool starts empty.
   */
  async function droppingUpstream(drops: number): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
    let connections = 0;
    const server = createTcpServer((socket) => {
      connections += 1;
      if (connections <= drops) {
        socket.once('data', () => socket.resetAndDestroy());
        return;
      }
      upstream.emit('connection', socket);
    });
    const port = await listen(server);
    return {
      url: `http://127.0.0.1:${port}`,
      connections: () => connections,
      close: () => {
        // The handed-over sockets are the stand-in's keep-alive connections now; close waits for them.
        upstream.closeIdleConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  }

  it.each(['GET', 'DELETE', 'HEAD', 'OPTIONS'])('retries %s once after a dropped connection', async (method) => {
    const flaky = await droppingUpstream(1);
    const url = await gateway({ IDENTITY_URL: flaky.url });
    const response = await fetch(`${url}${STAND_IN}/s-1`, { method, headers: bearer });
    expect(response.status).toBe(200);
    expect(flaky.connections()).toBe(2);
    expect(seen.map((request) => request.method)).toEqual([method]);
    await flaky.close();
  });

  it('retries a PUT with its whole body', async () => {
    const flaky = await droppingUpstream(1);
    const url = await gateway({ IDENTITY_URL: flaky.url });
    const body = JSON.stringify({ displayName: 'Ada' });
    const response = await fetch(`${url}${STAND_IN}`, { method: 'PUT', headers: { ...bearer, 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(seen).toMatchObject([{ method: 'PUT', body }]);
    await flaky.close();
  });

  it.each(['POST', 'PATCH'])('never retries %s: 502 after one attempt', async (method) => {
    const flaky = await droppingUpstream(1);
    const url = await gateway({ IDENTITY_URL: flaky.url });
    const response = await fetch(`${url}${STAND_IN}`, { method, headers: { ...bearer, 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(502);
    expect(await response.json()).toMatchObject({ code: 'bad_gateway' });
    expect(flaky.connections()).toBe(1);
    expect(seen).toHaveLength(0);
    await flaky.close();
  });

  it('retries only once: a second drop answers 502', async () => {
    const flaky = await droppingUpstream(2);
    const url = await gateway({ IDENTITY_URL: flaky.url });
    const response = await fetch(`${url}/v1/users/me`, { headers: bearer });
    expect(response.status).toBe(502);
    expect(flaky.connections()).toBe(2);
    expect(seen).toHaveLength(0);
    await flaky.close();
  });
});
