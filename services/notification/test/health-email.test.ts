/**
 * GET /health/email against real SMTP: Mailpit answers (200), a port nobody listens on does not (503),
 * and neither body says more than figures and booleans.
 */
import mongoose from 'mongoose';
import type { Env, Service } from '@solar/chassis';
import { mongoUrlFor, testInfra, uniqueName } from '@solar/chassis/testing';
import { createNotificationService } from '../src/main';
import { notificationTestEnv, specFetch } from './notification-test-env';
import { closedPort, refusingSmtpServer } from './support/monitoring-fakes';

const infra = testInfra();
const name = uniqueName('health-email');
const running: Service[] = [];

function env(label: string, extra: Env): Env {
  return notificationTestEnv(`${name}-${label}`, { PROVIDER_TIMEOUT: '2s', ...extra });
}

async function start(label: string, extra: Env): Promise<string> {
  const service = createNotificationService(env(label, extra));
  running.push(service);
  return `http://127.0.0.1:${(await service.start()).port}`;
}

async function health(baseUrl: string) {
  const response = await specFetch(baseUrl)(`${baseUrl}/health/email`);
  return { status: response.status, cacheControl: response.headers.get('cache-control'), text: await response.text() };
}

let healthyUrl: string;
let brokenUrl: string;
let deadPort: number;
let refusing: Awaited<ReturnType<typeof refusingSmtpServer>>;
let refusedUrl: string;

beforeAll(async () => {
  deadPort = await closedPort();
  healthyUrl = await start('mailpit', { SMTP_HOST: infra.smtpHost, SMTP_PORT: infra.smtpPort });
  refusing = await refusingSmtpServer();
  refusedUrl = await start('refusing', { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(refusing.port) });
  brokenUrl = await start('closed', {
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(deadPort),
    SMTP_USER: 'monitor',
    SMTP_PASSWORD: 'pa55-not-in-bodies',
  });
});

afterAll(async () => {
  for (const service of running) await service.stop();
  await refusing?.stop();
  for (const label of ['mailpit', 'closed', 'refusing']) {
    const db = await mongoose.createConnection(mongoUrlFor(infra, `${name}-${label}-notification`)).asPromise();
    await db.dropDatabase();
    await db.close();
  }
});

describe('GET /health/email', () => {
  it('answers 200 with the provider, its reachability and the window when SMTP answers', async () => {
    const response = await health(healthyUrl);

    expect(response.status).toBe(200);
    expect(response.cacheControl).toBe('no-store');
    expect(JSON.parse(response.text)).toEqual({
      status: 'up',
      provider: 'smtp',
      reachable: true,
      degraded: false,
      successRate: null,
      attempts: 0,
      failed: 0,
      window: { start: expect.any(String), end: expect.any(String), seconds: 900 },
    });
  });

  it('answers 503 when the provider cannot be reached, without credentials or error details', async () => {
    const response = await health(brokenUrl);

    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toMatchObject({ status: 'down', provider: 'smtp', reachable: false, degraded: false });
    for (const secret of ['pa55-not-in-bodies', 'monitor', 'ECONNREFUSED', String(deadPort), '127.0.0.1']) {
      expect(response.text).not.toContain(secret);
    }
  });

  it('reuses the provider check for a while, so callers cannot hammer the provider through it', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => health(refusedUrl)));
    answers.push(await health(refusedUrl));

    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([503]));
    expect(refusing.connections()).toBe(1);
  });
});
