import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Env, Service } from '@solar/chassis';
import { createGatewayService } from '../src/main';

// A stand-in for the web service (and identity's readiness): the gateway's job here is which paths go where.
let web: Server;
let webUrl: string;
let closedUrl: string;
let seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const gateways: Service[] = [];

async function gateway(extra: Env = {}): Promise<string> {
  const service = createGatewayService({
    NODE_ENV: 'test',
    LOG_LEVEL: 'fatal',
    GATEWAY_PORT: '0',
    HOST: '127.0.0.1',
    IDENTITY_URL: webUrl,
    NOTIFICATION_URL: webUrl,
    LIFECYCLE_URL: webUrl,
    RATE_LIMITS_ENABLED: 'false',
    QUOTAS_ENABLED: 'false',
    ...extra,
  });
  gateways.push(service);
  const { port } = await service.start();
  return `http://127.0.0.1:${port}`;
}

beforeAll(async () => {
  web = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/readyz') return void res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ready"}');
      if (req.url === '/broken') return void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>Something went wrong</h1>');
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': "default-src 'none'" })
        .end(`<p>${req.method} ${req.url}</p>`);
    });
  });
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webUrl = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedUrl = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  for (const service of gateways) await service.stop();
  web.closeAllConnections();
  await new Promise((resolve) => web.close(resolve));
});

beforeEach(() => {
  seen = [];
});

const pageRequests = () => seen.filter((request) => request.url !== '/readyz');

describe('pages at the gateway (WEB_URL)', () => {
  it('sends the emailed links and every other page path to web, query and form bodies included', async () => {
    const url = await gateway({ WEB_URL: webUrl });
    const link = await fetch(`${url}/verify-email?token=abc`, { redirect: 'manual' });
    expect(link.status).toBe(200);
    expect(await link.text()).toBe('<p>GET /verify-email?token=abc</p>');
    // web's own policy replaces the one helmet gives the gateway's answers; no-referrer stays.
    expect(link.headers.get('content-security-policy')).toBe("default-src 'none'");
    expect(link.headers.get('referrer-policy')).toBe('no-referrer');

    const form = await fetch(`${url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: url },
      body: 'email=ada%40example.com&password=x',
    });
    expect(await form.text()).toBe('<p>POST /login</p>');
    const [, posted] = pageRequests();
    expect(posted?.body).toBe('email=ada%40example.com&password=x');
    expect(posted?.headers['x-forwarded-for']).toBe('127.0.0.1');

    for (const path of ['/', '/register?invite=x', '/assets/site.css', '/v1abc']) {
      expect(await (await fetch(`${url}${path}`)).text()).toBe(`<p>GET ${path}</p>`);
    }
  });

  it('keeps /v1, /openapi.json, /docs and the health checks for itself', async () => {
    const url = await gateway({ WEB_URL: webUrl });
    // Not a public route: the token check answers, as it did before pages existed.
    const unknown = await fetch(`${url}/v1/no-such-route`);
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get('content-type')).toContain('application/problem+json');
    expect((await fetch(`${url}/openapi.json`)).headers.get('content-type')).toContain('application/json');
    expect(await (await fetch(`${url}/docs`)).text()).toContain('swagger');
    expect(await (await fetch(`${url}/docs/assets/nothing.js`)).text()).not.toContain('<p>GET');
    expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'alive' });
    expect(pageRequests()).toEqual([]);
  });

  it("passes web's own error page on, and answers a 502 problem while web is down", async () => {
    const url = await gateway({ WEB_URL: webUrl });
    const broken = await fetch(`${url}/broken`);
    expect(broken.status).toBe(500);
    expect(await broken.text()).toBe('<h1>Something went wrong</h1>');

    const down = await gateway({ WEB_URL: closedUrl });
    const answer = await fetch(`${down}/login`);
    expect(answer.status).toBe(502);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
  });

  it('answers 404 outside /v1, as before, when WEB_URL is unset', async () => {
    const url = await gateway();
    const answer = await fetch(`${url}/verify-email?token=abc`);
    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(pageRequests()).toEqual([]);
  });
});
