import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { Topics, createEvent, openApiDocument, toKafkaMessage } from '@solar/contracts';
import { ensureTopics, type Env, type Service } from '@solar/chassis';
import { capturingLogger, testInfra, TokenMinter, uniqueName, validatingFetch, waitFor } from '@solar/chassis/testing';
import { createGatewayService } from '../src/main';
import { QuotaStore } from '../src/quotas/quota-store';

/**
 * Monthly quotas against the shared test Redis and Kafka. The gateways run on a clock of the test's
 * own, set in a month far in the future picked at random, so this file's months (and their report
 * keys) belong to it alone; its users are unique too.
 */
const infra = testInfra();
const name = uniqueName('quotas');
const topicPrefix = `${name}.`;
const year = 2200 + Math.floor(Math.random() * 7_000);
const MONTH = `${year}-06`;
const NEXT_MONTH = `${year}-07`;
let now = new Date(`${MONTH}-30T22:00:00.000Z`);
const clock = () => now;

let minter: TokenMinter;
let upstream: Server;
let upstreamUrl: string;
const redis = new Redis(infra.redisUrl, { lazyConnect: true });
const store = new QuotaStore(redis);
const kafka = new Kafka({ brokers: infra.kafkaBrokers.split(','), clientId: 'quotas-test', logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const gateways: Service[] = [];

async function gateway(extra: Env = {}, lines?: string[]): Promise<string> {
  const logger = lines ? capturingLogger('gateway', lines) : undefined;
  const service = createGatewayService(
    {
      NODE_ENV: 'test',
      LOG_LEVEL: 'fatal',
      GATEWAY_PORT: '0',
      HOST: '127.0.0.1',
      IDENTITY_URL: upstreamUrl,
      NOTIFICATION_URL: upstreamUrl,
      RATE_LIMITS_ENABLED: 'false',
      REDIS_URL: infra.redisUrl,
      KAFKA_BROKERS: infra.kafkaBrokers,
      KAFKA_TOPIC_PREFIX: topicPrefix,
      QUOTA_USER: '3',
      QUOTA_ADMIN: '0',
      ...extra,
    },
    { clock, ...(logger ? { logger } : {}) },
  );
  gateways.push(service);
  return `http://127.0.0.1:${(await service.start()).port}`;
}

async function as(userId: string, roles = ['user']) {
  return { authorization: `Bearer ${await minter.sign(userId, { roles })}` };
}

const spec = openApiDocument();
/** The usage answers are checked against the spec; other paths here reach a stand-in upstream the spec does not describe. */
const get = (url: string, path: string, headers: Record<string, string>) =>
  (path === '/users/me/usage' ? validatingFetch(spec, `${url}/v1`) : fetch)(`${url}/v1${path}`, { headers });

async function publishReset(month: string, id?: string): Promise<void> {
  const event = createEvent('MonthlyQuotaResetDue', { source: '/lifecycle', subject: month, data: { month }, ...(id ? { id } : {}) });
  await producer.send({ topic: `${topicPrefix}${Topics.lifecycle}`, messages: [toKafkaMessage(event)] });
}

beforeAll(async () => {
  minter = await TokenMinter.generate();
  upstream = createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json')
      return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(minter.jwks));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  await redis.connect();
  await ensureTopics(kafka, [`${topicPrefix}${Topics.lifecycle}`]);
  await producer.connect();
});

afterAll(async () => {
  for (const service of gateways) await service.stop();
  await producer.disconnect();
  const keys = await redis.keys(`quota:*:${year}-*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('monthly quotas', () => {
  let url: string;
  beforeAll(async () => {
    now = new Date(`${MONTH}-30T22:00:00.000Z`);
    url = await gateway();
  });

  it('counts a user’s requests and refuses them past the quota with 429 quota_exceeded until the month ends', async () => {
    const ada = await as(`ada-${name}`);
    for (let i = 0; i < 3; i++) expect((await get(url, '/users/me', ada)).status).toBe(200);
    const refused = await get(url, '/users/me/sessions', ada);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    // 22:00 on the 30th of June: two hours until July.
    expect(refused.headers.get('retry-after')).toBe('7200');
    expect(await refused.json()).toMatchObject({ code: 'quota_exceeded', quota: 3, used: 3, resetsAt: `${NEXT_MONTH}-01T00:00:00.000Z` });
    // Another user is not affected.
    expect((await get(url, '/users/me', await as(`grace-${name}`))).status).toBe(200);
  });

  it('answers GET /users/me/usage itself, without counting it', async () => {
    const linus = await as(`linus-${name}`);
    expect((await get(url, '/users/me', linus)).status).toBe(200);
    for (let i = 0; i < 2; i++) {
      const usage = await get(url, '/users/me/usage', linus);
      expect(usage.status).toBe(200);
      expect(await usage.json()).toEqual({ month: MONTH, used: 1, quota: 3, resetsAt: `${NEXT_MONTH}-01T00:00:00.000Z` });
    }
    expect((await get(url, '/users/me/usage', {})).status).toBe(401);
  });

  it('gives admins their own quota (0: unlimited)', async () => {
    const admin = await as(`admin-${name}`, ['user', 'admin']);
    for (let i = 0; i < 6; i++) expect((await get(url, '/admin/users', admin)).status).toBe(200);
    expect(await (await get(url, '/users/me/usage', admin)).json()).toMatchObject({ used: 6, quota: null });
  });

  it('admits exactly the quota across two gateways under concurrent requests', async () => {
    const other = await gateway();
    const burst = await as(`burst-${name}`);
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => get(i % 2 ? url : other, '/users/me', burst).then((r) => r.status)),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(3);
    expect(statuses.filter((status) => status === 429)).toHaveLength(17);
  });

  it('starts counting afresh when the UTC month turns, and records the closed month once on MonthlyQuotaResetDue', async () => {
    const ada = await as(`ada-${name}`);
    expect((await get(url, '/users/me', ada)).status).toBe(429);
    now = new Date(`${NEXT_MONTH}-01T00:00:01.000Z`);
    expect((await get(url, '/users/me', ada)).status).toBe(200);
    expect(await (await get(url, '/users/me/usage', ada)).json()).toMatchObject({ month: NEXT_MONTH, used: 1 });

    await publishReset(NEXT_MONTH, `reset-${name}`);
    const report = await waitFor(() => store.report(MONTH).then((found) => found ?? undefined), { what: `the report of ${MONTH}` });
    expect(report).toMatchObject({ month: MONTH, users: 5, requests: 3 + 1 + 1 + 6 + 3 });
    expect(report.perUser).toMatchObject({ [`ada-${name}`]: 3, [`linus-${name}`]: 1, [`admin-${name}`]: 6, [`burst-${name}`]: 3 });

    // A redelivery (same id) and a duplicate (another id) change nothing.
    await publishReset(NEXT_MONTH, `reset-${name}`);
    await publishReset(NEXT_MONTH);
    await publishReset(`${year}-08`); // a later month proves the consumer has read past the duplicates
    await waitFor(() => store.report(NEXT_MONTH).then((found) => found ?? undefined), { what: `the report of ${NEXT_MONTH}` });
    expect(await store.report(MONTH)).toEqual(report);
  });
});

describe('monthly quotas during a Redis outage', () => {
  it('are not enforced (logged once) rather than blocking every user, and usage answers 503', async () => {
    const lines: string[] = [];
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const url = await gateway({ REDIS_URL: `redis://127.0.0.1:${deadPort}`, QUOTA_USER: '1' }, lines);
    const user = await as(`outage-${name}`);
    for (let i = 0; i < 4; i++) expect((await get(url, '/users/me', user)).status).toBe(200);
    const usage = await get(url, '/users/me/usage', user);
    expect(usage.status).toBe(503);
    expect(await usage.json()).toMatchObject({ code: 'service_unavailable' });
    expect(lines.filter((line) => line.includes('monthly quotas are not enforced'))).toHaveLength(1);
  });
});
