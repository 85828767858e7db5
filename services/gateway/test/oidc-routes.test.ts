import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Service } from '@solar/chassis';
import { createGatewayService } from '../src/main';

// Stand-ins for identity and web: the gateway's job here is which of them gets the provider's paths.
interface Seen {
  upstream: string;
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
let seen: Seen[] = [];
const servers: Server[] = [];
let gateway: Service;
let url: string;

async function standIn(name: string): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.url !== '/readyz') seen.push({ upstream: name, method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ upstream: name }));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  const identity = await standIn('identity');
  const web = await standIn('web');
  gateway = createGatewayService({
    NODE_ENV: 'test',
    LOG_LEVEL: 'fatal',
    GATEWAY_PORT: '0',
    HOST: '127.0.0.1',
    IDENTITY_URL: identity,
    NOTIFICATION_URL: web,
    LIFECYCLE_URL: web,
    WEB_URL: web,
    RATE_LIMITS_ENABLED: 'false',
    QUOTAS_ENABLED: 'false',
  });
  url = `http://127.0.0.1:${(await gateway.start()).port}`;
});

afterAll(async () => {
  await gateway.stop();
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

beforeEach(() => {
  seen = [];
});

describe('the OpenID Connect provider at the gateway', () => {
  it('sends discovery and the /oauth2 endpoints to identity, with the path, query, form body and public host', async () => {
    await fetch(`${url}/.well-known/openid-configuration`);
    await fetch(`${url}/oauth2/authorize?client_id=a&response_type=code`, { redirect: 'manual' });
    await fetch(`${url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=authorization_code&code=c',
    });
    expect(seen.map(({ upstream, method, url: path }) => `${upstream} ${method} ${path}`)).toEqual([
      'identity GET /.well-known/openid-configuration',
      'identity GET /oauth2/authorize?client_id=a&response_type=code',
      'identity POST /oauth2/token',
    ]);
    expect(seen[2]!.body).toBe('grant_type=authorization_code&code=c');
    // The provider builds its public URLs from these (behind a trusted hop).
    expect(seen[0]!.headers['x-forwarded-host']).toBe(new URL(url).host);
    expect(seen[0]!.headers['x-forwarded-proto']).toBe('http');
  });

  it('leaves CORS on the provider’s paths to the provider (per client), outside the gateway’s allow-list', async () => {
    const headers = { origin: 'https://spa.example.com', 'access-control-request-method': 'POST' };
    await fetch(`${url}/oauth2/token`, { method: 'OPTIONS', headers });
    await fetch(`${url}/.well-known/openid-configuration`, { method: 'OPTIONS', headers });
    expect(seen.map(({ upstream, method, url: path }) => `${upstream} ${method} ${path}`)).toEqual([
      'identity OPTIONS /oauth2/token',
      'identity OPTIONS /.well-known/openid-configuration',
    ]);
    // The API's preflight is still the gateway's own, and this origin is not on its list.
    const api = await fetch(`${url}/v1/users/me`, { method: 'OPTIONS', headers });
    expect(api.status).toBe(204);
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
    expect(seen).toHaveLength(2);
  });

  it('leaves the interaction pages to web and sends their API under /v1/oauth to identity', async () => {
    await fetch(`${url}/interaction/abc123`, { redirect: 'manual' });
    expect(seen.map(({ upstream, url: path }) => `${upstream} ${path}`)).toEqual(['web /interaction/abc123']);
    // Signed in only: the gateway refuses it without a token, before identity.
    expect((await fetch(`${url}/v1/oauth/interactions/abc1234567`)).status).toBe(401);
  });
});
