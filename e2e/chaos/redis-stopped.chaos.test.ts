/**
 * Scenario 3: Redis stopped under two gateway processes in front of identity. They keep answering,
 * each counting the login limit for itself (no 5xx), say so in /readyz, and once Redis is back they
 * share the count again by themselves: together they admit exactly the limit.
 */
import { join } from 'node:path';
import { ServiceProcess, waitFor } from '@solar/chassis/testing';
import type { Env } from '@solar/chassis';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, infra, pool, report, tally } from './support/chaos';

assertChaosProfile();
const stack = new TestStack('chaos-redis', { processes: true });
const LIMIT = 5;
const BURST = 30;
let redisDown = false;
let gateways: string[] = [];
let readiness: (string | undefined)[] = [];
let second: ServiceProcess | undefined;
let address = 0;

const limits: Env = {
  RATE_LIMITS_ENABLED: 'true',
  RATE_LIMIT_LOGIN: `${LIMIT}/1m`,
  REDIS_URL: stack.infra.redisUrl,
  REDIS_PROBE_INTERVAL: '200ms',
  TRUST_PROXY: 'loopback',
};

beforeAll(async () => {
  const identity = await stack.startIdentity();
  const first = await stack.startGateway(limits);
  // A second replica on the same Redis (TestStack keeps one gateway by name).
  second = new ServiceProcess({
    entry: join(__dirname, '../../services/gateway/dist/src/server.js'),
    env: { ...stack.common(), GATEWAY_PORT: '0', IDENTITY_URL: identity.url, QUOTAS_ENABLED: 'false', ...limits },
    logFile: join(__dirname, '../../.local/test/service-logs', stack.name, 'gateway-2.log'),
  });
  const started = await second.start();
  gateways = [first.url, `http://127.0.0.1:${started.port}`];
  // The detailed readiness is on each gateway's metrics port; its public /readyz is status only.
  readiness = [first.metricsUrl?.replace(/\/metrics$/, '/readyz'), `http://127.0.0.1:${started.metricsPort}/readyz`];
});

afterAll(async () => {
  if (redisDown) await infra('up');
  await second?.stop();
  await stack.stop();
});

/** BURST concurrent sign-ins from one new client address, spread over both gateways; each a different unknown account. */
async function burst(): Promise<Record<number, number>> {
  const client = `198.51.100.${++address}`;
  const statuses = await pool(BURST, BURST, async (i) => {
    const response = await fetch(`${gateways[i % gateways.length]}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
      body: JSON.stringify({ email: `nobody${i}.${address}@${stack.name}.example.test`, password: 'not the password' }),
      signal: AbortSignal.timeout(30_000),
    });
    await response.arrayBuffer();
    return response.status;
  });
  return tally(statuses);
}

async function modes(): Promise<unknown[]> {
  return Promise.all(
    readiness.map(async (url) => {
      if (!url) throw new Error('a gateway without a metrics port');
      const response = await fetch(url);
      const body = (await response.json()) as { ready: boolean; checks: { redis?: { detail?: { mode?: string } } } };
      return response.status === 200 && body.ready ? body.checks.redis?.detail?.mode : `not ready (${response.status})`;
    }),
  );
}

it('keeps two gateways answering per instance while Redis is down, with no 5xx, and shares the limit again once it is back', async () => {
  const shared = await burst();
  expect(shared).toEqual({ 401: LIMIT, 429: BURST - LIMIT });

  await infra('down', 'redis');
  redisDown = true;
  const perInstance = await burst();
  expect(perInstance).toEqual({ 401: LIMIT * 2, 429: BURST - LIMIT * 2 });
  expect(await modes()).toEqual(['per-instance', 'per-instance']);

  await infra('up');
  redisDown = false;
  await waitFor(async () => ((await modes()).every((mode) => mode === 'shared') ? true : undefined), {
    what: 'both gateways to share limits in Redis again',
  });
  const back = await burst();
  expect(back).toEqual({ 401: LIMIT, 429: BURST - LIMIT });

  const fmt = (counts: Record<number, number>) =>
    Object.entries(counts)
      .map(([status, count]) => `${count}×${status}`)
      .join(' ');
  report(
    'Redis stopped',
    `${BURST} sign-ins per burst over 2 gateways, limit ${LIMIT}: shared ${fmt(shared)}; Redis down ${fmt(perInstance)} ` +
      `(per instance, /readyz ready); Redis back ${fmt(back)}; 0 5xx`,
  );
});
