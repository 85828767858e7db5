import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { keycloakLogin, kratosLogin, peersFromEnv } from './peers';

const env = {
  KEYCLOAK_URL: 'http://127.0.0.1:18180',
  KEYCLOAK_REALM: 'bench',
  KEYCLOAK_CLIENT_ID: 'bench',
  KRATOS_PUBLIC_URL: 'http://127.0.0.1:14433',
  PEERS_USERS: '16',
  PEERS_EMAIL: 'user-%d@peers.test',
  PEERS_PASSWORD: 'not a secret',
};

test('reads what peers.sh wrote', () => {
  expect(peersFromEnv(env)).toEqual({
    keycloakUrl: 'http://127.0.0.1:18180',
    keycloakRealm: 'bench',
    keycloakClientId: 'bench',
    kratosPublicUrl: 'http://127.0.0.1:14433',
    users: 16,
    emailPattern: 'user-%d@peers.test',
    password: 'not a secret',
  });
});

test('names the missing variable and how to get it', () => {
  expect(() => peersFromEnv({ ...env, KRATOS_PUBLIC_URL: undefined })).toThrow(
    'KRATOS_PUBLIC_URL is not set: run `bash scripts/peers.sh up` and source .local/peers/env',
  );
});

test('refuses a user count that is not a positive integer', () => {
  expect(() => peersFromEnv({ ...env, PEERS_USERS: '0' })).toThrow(/PEERS_USERS must be a positive integer/);
  expect(() => peersFromEnv({ ...env, PEERS_USERS: 'many' })).toThrow(/PEERS_USERS must be a positive integer/);
});

describe('logins against a local server speaking the peers’ documented APIs', () => {
  let server: Server;
  let base: string;
  const seen: { method: string; url: string; type: string | undefined; body: string }[] = [];
  let answer: (url: string) => { status: number; body: unknown } = () => ({ status: 500, body: {} });

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method!, url: request.url!, type: request.headers['content-type'], body });
        const { status, body: reply } = answer(request.url!);
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (seen.length = 0));

  const peersAt = () => peersFromEnv({ ...env, KEYCLOAK_URL: base, KRATOS_PUBLIC_URL: base, PEERS_USERS: '2' });

  test('Keycloak: the password grant as a form, worker n signing in as account n + 1', async () => {
    answer = () => ({ status: 200, body: { access_token: 'a', token_type: 'Bearer' } });
    await keycloakLogin(peersAt())(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/realms/bench/protocol/openid-connect/token' });
    expect(seen[0]!.type).toMatch(/^application\/x-www-form-urlencoded/);
    expect(Object.fromEntries(new URLSearchParams(seen[0]!.body))).toEqual({
      grant_type: 'password',
      client_id: 'bench',
      username: 'user-2@peers.test',
      password: 'not a secret',
    });
  });

  test('Keycloak: a refusal or a 200 without a token is a failed login', async () => {
    answer = () => ({ status: 401, body: { error: 'invalid_grant' } });
    await expect(keycloakLogin(peersAt())(0)).rejects.toThrow('keycloak token answered 401: {"error":"invalid_grant"}');
    answer = () => ({ status: 200, body: {} });
    await expect(keycloakLogin(peersAt())(0)).rejects.toThrow('keycloak answered 200 without an access token');
  });

  test('Kratos: a login flow, then the password method on it', async () => {
    answer = (url) =>
      url === '/self-service/login/api' ? { status: 200, body: { id: 'flow 1' } } : { status: 200, body: { session_token: 's' } };
    await kratosLogin(peersAt())(0);
    expect(seen.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET /self-service/login/api',
      'POST /self-service/login?flow=flow%201',
    ]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ method: 'password', identifier: 'user-1@peers.test', password: 'not a secret' });
  });

  test('Kratos: a refused password or a missing session token is a failed login', async () => {
    answer = (url) => (url === '/self-service/login/api' ? { status: 200, body: { id: 'f' } } : { status: 400, body: { ui: {} } });
    await expect(kratosLogin(peersAt())(0)).rejects.toThrow('kratos login answered 400');
    answer = (url) => (url === '/self-service/login/api' ? { status: 200, body: { id: 'f' } } : { status: 200, body: {} });
    await expect(kratosLogin(peersAt())(0)).rejects.toThrow('kratos answered 200 without a session token');
  });

  test('a worker beyond the provisioned accounts is refused before any request', async () => {
    await expect(keycloakLogin(peersAt())(2)).rejects.toThrow(/worker 2 has no account of its own/);
    expect(seen).toHaveLength(0);
  });
});
