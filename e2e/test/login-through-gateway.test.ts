import { Kafka, logLevel } from 'kafkajs';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import { TestStack } from './support/stack';

const stack = new TestStack('login-e2e');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'login-e2e-test', logLevel: logLevel.NOTHING });
let gatewayUrl: string;

interface Tokens {
  access_token: string;
  token_type: string;
  expires_in: number;
  refresh_token: string;
}

function call(path: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] ??= 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  return stack.fetch(`${gatewayUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body),
  });
}

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.identitySecurity),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  await stack.startIdentity();
  await stack.startNotification();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(() => stack.stop());

describe('sign-in through the gateway', () => {
  it('registers, verifies by the emailed link, signs in, lists sessions, refreshes and logs out', async () => {
    const email = `ada.${stack.name}@example.test`.toLowerCase();
    const password = 'correct horse battery';
    expect((await call('/v1/auth/register', { body: { email, password } })).status).toBe(201);

    const [summary] = await waitFor(
      async () => {
        const found = await mailpit.search(`to:"${email}"`);
        return found.length > 0 ? found : undefined;
      },
      { what: `the verification email to ${email}` },
    );
    const mail = await mailpit.message(summary!.ID);
    const token = /https:\/\/app\.solar\.test\/verify-email\?token=([A-Za-z0-9_-]{43})/.exec(mail.Text)?.[1];
    expect(token).toBeDefined();
    const verified = await call('/v1/auth/verify-email', { body: { token } });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toEqual({ email, emailVerified: true });

    const login = await call('/v1/auth/login', { body: { email, password }, headers: { 'user-agent': 'e2e-browser/1.0' } });
    expect(login.status).toBe(200);
    expect(login.headers.get('cache-control')).toBe('no-store');
    const tokens = (await login.json()) as Tokens;
    expect(tokens).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 900, refresh_token: expect.any(String) });

    const jwksResponse = await call('/v1/.well-known/jwks.json');
    expect(jwksResponse.status).toBe(200);
    const jwks = (await jwksResponse.json()) as JSONWebKeySet;
    expect(jwks.keys.length).toBeGreaterThan(0);
    expect(jwks.keys.filter((k) => 'd' in k)).toEqual([]);
    const { payload, protectedHeader } = await jwtVerify(tokens.access_token, createLocalJWKSet(jwks), {
      issuer: 'solar-accounts',
      audience: 'solar-api',
      typ: 'at+jwt',
    });
    expect(protectedHeader.alg).toBe('EdDSA');

    const listed = await call('/v1/users/me/sessions', { token: tokens.access_token });
    expect(listed.status).toBe(200);
    const { sessions } = (await listed.json()) as { sessions: Record<string, unknown>[] };
    expect(sessions).toEqual([expect.objectContaining({ id: payload.sid, userAgent: 'e2e-browser/1.0', current: true })]);

    const refreshed = await call('/v1/auth/token/refresh', { body: { refresh_token: tokens.refresh_token } });
    expect(refreshed.status).toBe(200);
    const next = (await refreshed.json()) as Tokens;
    expect(next.refresh_token).not.toBe(tokens.refresh_token);

    expect((await call('/v1/auth/logout', { method: 'POST', token: next.access_token })).status).toBe(204);
    const after = await call('/v1/users/me/sessions', { token: next.access_token });
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect((await call('/v1/auth/token/refresh', { body: { refresh_token: next.refresh_token } })).status).toBe(401);
  });

  it('answers a wrong password through the gateway with 401 problem+json', async () => {
    const response = await call('/v1/auth/login', { body: { email: `nobody.${stack.name}@example.test`, password: 'whatever it is' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'invalid_credentials' });
  });
});
