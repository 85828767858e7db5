import { Kafka, logLevel } from 'kafkajs';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { TestStack } from '../support/stack';

// Security review finding 7: every refresh extended a session, so one refreshed continually (by its
// owner, or by whoever stole its refresh token) never ended.
const stack = new TestStack('session-lifetime-e2e');
const kafka = new Kafka({
  brokers: stack.infra.kafkaBrokers.split(','),
  clientId: 'session-lifetime-e2e-test',
  logLevel: logLevel.NOTHING,
});
let gatewayUrl: string;

const DAY = 86_400_000;
// Identity's clock, moved by the tests instead of waiting days.
let offsetMs = 0;
const clock = () => new Date(Date.now() + offsetMs);

const PASSWORD = 'a long and proper password';

function call(path: string, body: unknown) {
  return stack.fetch(`${gatewayUrl}/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function signIn(label: string): Promise<string> {
  const email = `${label}.${stack.name}@example.test`.toLowerCase();
  expect((await call('/auth/register', { email, password: PASSWORD })).status).toBe(201);
  const response = await call('/auth/login', { email, password: PASSWORD });
  expect(response.status).toBe(200);
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

/** Refreshes through the gateway: the next refresh token, or the status when refused. */
async function refresh(token: string): Promise<string | number> {
  const response = await call('/auth/token/refresh', { refresh_token: token });
  if (response.status !== 200) return response.status;
  return ((await response.json()) as { refresh_token: string }).refresh_token;
}

beforeAll(async () => {
  await ensureTopics(kafka, [
    stack.topic(Topics.identityUser),
    stack.topic(Topics.identitySecurity),
    stack.topic(Topics.notificationEmailRequests),
  ]);
  // The defaults, spelled out: what the test shows depends on them.
  await stack.startIdentity({ SESSION_IDLE_TIMEOUT: '14d', SESSION_MAX_AGE: '30d' }, { clock });
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(() => stack.stop());

beforeEach(() => {
  offsetMs = 0;
});

describe('session lifetimes', () => {
  it('a session refreshed continually still ends at SESSION_MAX_AGE', async () => {
    let token: string | number = await signIn('continual');
    // A refresh every 5 days: never idle for long, and each one succeeds until the 30th day.
    for (let day = 5; day < 30; day += 5) {
      offsetMs = day * DAY;
      token = await refresh(token as string);
      expect(typeof token).toBe('string');
    }
    offsetMs = 30 * DAY + 60_000;
    expect(await refresh(token as string)).toBe(401);
  });

  it('a session unused for SESSION_IDLE_TIMEOUT ends', async () => {
    const token = await signIn('idle');
    offsetMs = 14 * DAY + 60_000;
    expect(await refresh(token)).toBe(401);
  });
});
