/**
 * Scenario 4: the database server stopped. Identity answers 503 problem+json, within a bound, and its
 * /readyz fails (so a deployment takes it out of rotation); once the server is back, the same process
 * serves again, with the data it had.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { TestStack } from '../test/support/stack';
import { assertChaosProfile, infra, report } from './support/chaos';
import { waitFor } from '@solar/chassis/testing';

assertChaosProfile();
const stack = new TestStack('chaos-database', { processes: true });
const PASSWORD = 'correct horse battery';
/** Longer than any answer may take while the database is down: past it, the request counts as hanging. */
const ANSWER_BOUND_MS = 15_000;
const email = (label: string) => `${label}@${stack.name}.example.test`.toLowerCase();
let identityUrl: string;
let gatewayUrl: string;
let mongoDown = false;

beforeAll(async () => {
  identityUrl = (await stack.startIdentity()).url;
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(async () => {
  if (mongoDown) await infra('up');
  await stack.stop();
});

interface Answer {
  what: string;
  status: number;
  contentType: string;
  code?: unknown;
}

async function call(what: string, url: string, init: RequestInit = {}): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(ANSWER_BOUND_MS) });
  } catch (error) {
    throw new Error(`${what}: no answer within ${ANSWER_BOUND_MS} ms (${error instanceof Error ? error.message : String(error)})`, {
      cause: error,
    });
  }
  const contentType = response.headers.get('content-type') ?? '';
  const body = contentType.includes('json') ? ((await response.json()) as { code?: unknown }) : (await response.arrayBuffer(), {});
  return { what, status: response.status, contentType, code: body.code };
}

function post(base: string, path: string, body: unknown, token?: string) {
  return call(`POST ${base === gatewayUrl ? '/v1' : ''}${path}`, `${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
}

it('answers 503 problem+json while the database is down, fails /readyz, and recovers by itself', async () => {
  const token = await stack.signUp(email('before'), PASSWORD);

  await infra('down', 'mongo');
  mongoDown = true;
  const during = await Promise.all([
    post(identityUrl, '/auth/register', { email: email('during'), password: PASSWORD }),
    post(identityUrl, '/auth/login', { email: email('before'), password: PASSWORD }),
    call('GET /users/me', `${identityUrl}/users/me`, { headers: { authorization: `Bearer ${token}` } }),
    post(`${gatewayUrl}/v1`, '/auth/register', { email: email('gateway'), password: PASSWORD }),
    post(`${gatewayUrl}/v1`, '/auth/login', { email: email('before'), password: PASSWORD }),
  ]);
  const ready = await call('GET /readyz', `${identityUrl}/readyz`);
  const wrong = during.filter((answer) => answer.status !== 503 || !answer.contentType.includes('application/problem+json'));
  expect(wrong.map((answer) => `${answer.what}: ${answer.status} ${answer.contentType} ${String(answer.code)}`)).toEqual([]);
  expect(during.map((answer) => answer.code)).toEqual(during.map(() => 'service_unavailable'));
  expect(ready.status).toBe(503);

  await sleep(1_000);
  await infra('up');
  mongoDown = false;
  await waitFor(async () => ((await call('GET /readyz', `${identityUrl}/readyz`)).status === 200 ? true : undefined), {
    timeoutMs: 30_000,
    what: 'identity to be ready again',
  });
  const login = await post(identityUrl, '/auth/login', { email: email('before'), password: PASSWORD });
  const register = await post(gatewayUrl, '/v1/auth/register', { email: email('after'), password: PASSWORD });
  expect([login.status, register.status]).toEqual([200, 201]);
  report(
    'database stopped',
    `${during.length} requests while down: ${during.filter((a) => a.status === 503).length} answered 503 problem+json, 0 with 500, 0 hung; ` +
      `/readyz 503, then 200 without a restart; the account from before the outage signs in`,
  );
});
