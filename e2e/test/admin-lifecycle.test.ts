/**
 * Lifecycle's admin routes through the gateway with real identity tokens: /v1/admin/jobs and
 * /v1/admin/reports/daily reach lifecycle, which checks the token itself against identity's JWKS;
 * the job retry, which asks identity whether the admin signed in recently.
 */
import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { waitFor } from '@solar/chassis/testing';
import type { LifecycleService } from '@solar/lifecycle';
import { TestStack } from './support/stack';

const stack = new TestStack('admin-lifecycle');
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'admin-lifecycle-test', logLevel: logLevel.NOTHING });
const PASSWORD = 'a perfectly good password';
const admin = `boss.${stack.name}@example.test`.toLowerCase();
const plain = `plain.${stack.name}@example.test`.toLowerCase();
let gatewayUrl: string;
let lifecycle: LifecycleService;
let adminToken: string;
let plainToken: string;

async function call(path: string, token?: string, method = 'GET') {
  const response = await stack.fetch(`${gatewayUrl}/v1${path}`, {
    method,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  });
  return { status: response.status, type: response.headers.get('content-type'), body: (await response.json()) as Record<string, unknown> };
}

/** The UTC day before today, the one the daily report job counts. */
const yesterday = () => new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.notificationDeliveries),
    stack.topic(Topics.notificationEmailRequests),
    stack.topic(Topics.lifecycle),
  ]);
  await stack.startIdentity({ ADMIN_EMAILS: admin });
  await stack.startLifecycle();
  lifecycle = stack.lifecycle();
  gatewayUrl = (await stack.startGateway()).url;
  // ADMIN_EMAILS grants the role once the address is verified.
  adminToken = await stack.signUpVerified(admin, PASSWORD);
  plainToken = await stack.signUp(plain, PASSWORD);
});

afterAll(async () => {
  await stack.stop();
});

describe.each(['/admin/jobs', `/admin/reports/daily?date=2026-01-01`])('GET /v1%s through the gateway', (path) => {
  it('answers 401 problem+json without a token', async () => {
    const response = await call(path);
    expect(response).toMatchObject({ status: 401, body: { code: 'unauthorized' } });
    expect(response.type).toContain('application/problem+json');
  });

  it('answers 401 for a token whose roles were rewritten', async () => {
    const [header, payload, signature] = plainToken.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')), roles: ['admin'] }),
    ).toString('base64url');
    expect(await call(path, `${header}.${forged}.${signature}`)).toMatchObject({ status: 401 });
  });

  it('answers 403 problem+json for a signed-in user without the admin role', async () => {
    expect(await call(path, plainToken)).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });
});

describe('with an admin token', () => {
  it("lists lifecycle's recurring jobs", async () => {
    const response = await call('/admin/jobs?state=upcoming', adminToken);
    expect(response.status).toBe(200);
    const names = (response.body.upcoming as { name: string }[]).map((job) => job.name);
    expect(names).toEqual(expect.arrayContaining(['daily-report', 'deletion-sweep', 'monthly-quota-reset']));
  });

  it('retries only a failed job, with a sign-in identity calls recent: a recurring job is 409, an unknown one 404', async () => {
    const upcoming = (await call('/admin/jobs?state=upcoming', adminToken)).body.upcoming as { id: string; name: string }[];
    const sweep = upcoming.find((job) => job.name === 'deletion-sweep')!;
    expect(await call(`/admin/jobs/${sweep.id}/retry`, adminToken, 'POST')).toMatchObject({
      status: 409,
      body: { code: 'job_not_failed' },
    });
    expect(await call('/admin/jobs/0123456789abcdef01234567/retry', adminToken, 'POST')).toMatchObject({
      status: 404,
      body: { code: 'not_found' },
    });
    expect(await call(`/admin/jobs/${sweep.id}/retry`, plainToken, 'POST')).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it("reads a day's report once lifecycle has counted it, and 404 before", async () => {
    const date = yesterday();
    expect(await call(`/admin/reports/daily?date=${date}`, adminToken)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    await lifecycle.runJobNow('daily-report');
    const response = await waitFor(
      async () => {
        const answer = await call(`/admin/reports/daily?date=${date}`, adminToken);
        return answer.status === 200 ? answer : undefined;
      },
      { what: "yesterday's report" },
    );
    expect(response).toMatchObject({ status: 200, body: { date, counts: expect.objectContaining({ registrations: expect.any(Number) }) } });
  });
});
