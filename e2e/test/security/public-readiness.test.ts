import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordingProxy } from '../support/recording-proxy';
import { TestStack } from '../support/stack';

/**
 * Security review finding 5: the gateway's public /readyz fanned out to every backend on each
 * request and answered with their checks and error text. Anyone could read internal addresses and
 * driver errors, and make the gateway probe its upstreams as fast as they could send requests.
 * Here the notification upstream is a closed port (an error to leak) and identity sits behind a
 * recording pass-through (to count the probes that reach it).
 */
const stack = new TestStack('sec-readiness');
let gatewayUrl: string;
let gatewayReadiness: string;
let identity: Awaited<ReturnType<typeof recordingProxy>>;
let closedPort: number;

beforeAll(async () => {
  const running = await stack.startIdentity();
  identity = await recordingProxy(running.url);
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closedPort = (server.address() as AddressInfo).port;
  await new Promise((resolve) => server.close(resolve));
  const gateway = await stack.startGateway({ IDENTITY_URL: identity.url, NOTIFICATION_URL: `http://127.0.0.1:${closedPort}` });
  gatewayUrl = gateway.url;
  gatewayReadiness = gateway.metricsUrl!.replace(/\/metrics$/, '/readyz');
});

afterAll(async () => {
  await stack.stop();
  await identity.close();
});

it('answers the public /readyz with status only: no checks, no upstream addresses, no error text', async () => {
  const response = await fetch(`${gatewayUrl}/readyz`);
  expect(response.status).toBe(200);
  const text = await response.text();
  expect(JSON.parse(text)).toEqual({ status: 'ready' });
  expect(text).not.toContain(String(closedPort));
  expect(text).not.toMatch(/fetch failed|notification|identity/);
});

it('keeps the detail for operators on the metrics port', async () => {
  const response = await fetch(gatewayReadiness);
  expect(response.status).toBe(200);
  expect(await response.json()).toMatchObject({
    ready: true,
    checks: { identity: { status: 'up', critical: true }, notification: { status: 'down', critical: false } },
  });
});

it('runs at most one round of upstream checks for a burst of public /readyz within a second', async () => {
  // Past the cache of the requests above, so the burst starts a round of its own.
  await sleep(1_100);
  const before = identity.seen.filter((request) => request.url === '/readyz').length;
  const started = Date.now();
  const statuses = await Promise.all(Array.from({ length: 30 }, async () => (await fetch(`${gatewayUrl}/readyz`)).status));
  const elapsed = Date.now() - started;
  expect(statuses.every((status) => status === 200)).toBe(true);
  // One round per started second at most, however slow a loaded machine makes the burst; without
  // the cache each of the 30 requests would have started one.
  const rounds = identity.seen.filter((request) => request.url === '/readyz').length - before;
  expect(rounds).toBeGreaterThanOrEqual(1);
  expect(rounds).toBeLessThanOrEqual(Math.floor(elapsed / 1_000) + 1);
});
