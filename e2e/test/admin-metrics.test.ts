/**
 * GET /admin/email/metrics with real identity tokens: notification checks them itself against
 * identity's JWKS (defence in depth), directly and through the gateway. Also /v1/health/email,
 * public through the gateway.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { waitFor } from '@solar/chassis/testing';
import { TestStack } from './support/stack';

const stack = new TestStack('admin-metrics');
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'admin-metrics-test', logLevel: logLevel.NOTHING });
const PASSWORD = 'a perfectly good password';
const admin = `boss.${stack.name}@example.test`.toLowerCase();
const plain = `plain.${stack.name}@example.test`.toLowerCase();
let identityUrl: string;
let notificationUrl: string;
let gatewayUrl: string;
let adminToken: string;
let plainToken: string;

async function call(url: string, token?: string) {
  const response = await stack.fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  await ensureTopics(kafka, [stack.topic(Topics.identityUser), stack.topic(Topics.notificationEmailRequests)]);
  identityUrl = (await stack.startIdentity({ ADMIN_EMAILS: admin })).url;
  notificationUrl = (await stack.startNotification({ IDENTITY_JWKS_URL: `${identityUrl}/.well-known/jwks.json` })).url;
  gatewayUrl = (await stack.startGateway()).url;
  // ADMIN_EMAILS grants the role once the address is verified.
  adminToken = await stack.signUpVerified(admin, PASSWORD);
  plainToken = await stack.signUp(plain, PASSWORD);
});

afterAll(async () => {
  await stack.stop();
});

describe.each([
  ['notification directly', () => `${notificationUrl}/admin/email/metrics`],
  ['the gateway', () => `${gatewayUrl}/v1/admin/email/metrics`],
])('GET /admin/email/metrics through %s', (_via, url) => {
  it('answers 401 problem+json without a token', async () => {
    const response = await call(url());
    expect(response).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(response.type).toContain('application/problem+json');
  });

  it('answers 401 for a token that is not a valid access token', async () => {
    const [header, payload] = plainToken.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), roles: ['admin'] }),
    ).toString('base64url');
    expect(await call(url(), `${header}.${forgedPayload}.${plainToken.split('.')[2]}`)).toMatchObject({ status: 401 });
  });

  it('answers 403 problem+json for a signed-in user without the admin role', async () => {
    expect(await call(url(), plainToken)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('answers 200 with the counters and window figures for an admin', async () => {
    // Registering both accounts sent two verification emails through Mailpit.
    const response = await waitFor(
      async () => {
        const answer = await call(url(), adminToken);
        return (answer.body.providers as { attempts: number }[] | undefined)?.[0]?.attempts === 2 ? answer : undefined;
      },
      { what: 'the two verification emails in the metrics' },
    );

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      scope: 'instance',
      since: expect.any(String),
      counters: [{ provider: 'smtp', template: 'verify-email', outcome: 'sent', count: 2 }],
      providers: [
        {
          provider: 'smtp',
          successRate: 1,
          attempts: 2,
          failed: 0,
          degraded: false,
          window: { start: expect.any(String), end: expect.any(String), seconds: 900 },
        },
      ],
      policy: { windowSeconds: 900, minAttempts: 20, successThreshold: 0.95 },
    });
  });
});

describe('GET /v1/health/email through the gateway', () => {
  it('is public and answers 200 while Mailpit takes mail', async () => {
    const response = await call(`${gatewayUrl}/v1/health/email`);
    expect(response).toMatchObject({ status: 200, body: { provider: 'smtp', reachable: true, degraded: false } });
  });
});
