import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { Topics } from '@solar/contracts';
import { ensureTopics, type Service } from '@solar/chassis';
import { Mailpit, ServiceProcess, waitFor } from '@solar/chassis/testing';
import { createGatewayService } from '@solar/gateway';
import { parsePrometheusText, samplesOf, type PromSample } from './support/prometheus-text';
import { TestStack, type RunningService } from './support/stack';

/**
 * The whole stack with the gateway's rate limits, quotas and CAPTCHA on, driven once along every
 * path a series counts, then scraped: every series the operations runbook names exists with a
 * non-zero sample and the labels it promises, in text Prometheus accepts. Rate limits count per
 * client address: this file's requests come from addresses of its own (X-Forwarded-For from
 * loopback, which TRUST_PROXY trusts), so the shared Redis's counters are never another file's.
 */
const stack = new TestStack('metrics');
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'metrics-test', logLevel: logLevel.NOTHING });
const producer = kafka.producer();
const octet = () => 1 + (randomBytes(1)[0]! % 250);
const clientIp = (n: number) => `10.${octet()}.${octet()}.${n}`;
const ip = clientIp(1);
const email = `ada.${stack.name}@example.test`.toLowerCase();
const password = 'correct horse battery';
const MAILGUN_KEY = 'metrics-mailgun-signing-key';

let services: Record<'gateway' | 'identity' | 'notification' | 'lifecycle', RunningService>;
let siteverify: Server;
let fallbackGateway: Service;
let fallbackUrl: string;
let fallbackMetricsUrl: string;

async function listenOnFreePort(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenOnFreePort(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function call(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, from = ip) {
  return fetch(`${url}${path}`, {
    method,
    headers: { 'x-forwarded-for': from, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}
const gateway = (method: string, path: string, body?: unknown, headers?: Record<string, string>, from?: string) =>
  call(services.gateway.url, method, path, body, headers, from);

async function scrape(metricsUrl: string | undefined): Promise<{ contentType: string | null; samples: PromSample[] }> {
  if (!metricsUrl) throw new Error('the service reported no metrics port');
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  return { contentType: response.headers.get('content-type'), samples: parsePrometheusText(await response.text()) };
}

/** Waits until the series has a sample above zero with these labels (what the flows leave behind arrives asynchronously). */
async function positive(metricsUrl: string | undefined, name: string, labels: Record<string, string> = {}): Promise<PromSample> {
  return waitFor(
    async () => {
      const { samples } = await scrape(metricsUrl);
      return samplesOf(samples, name, labels).find((sample) => sample.value > 0);
    },
    { what: `${name}${JSON.stringify(labels)} > 0 at ${metricsUrl}` },
  );
}

beforeAll(async () => {
  siteverify = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ success: true })));
  });
  const siteverifyPort = await listenOnFreePort(siteverify);
  await ensureTopics(kafka, [stack.topic(Topics.notificationEmailRequests)]);
  await producer.connect();
  const identity = await stack.startIdentity();
  const notification = await stack.startNotification({ MAILGUN_WEBHOOK_SIGNING_KEY: MAILGUN_KEY });
  // Agenda leaves a timer of half the lock lifetime behind each job it runs (its liveness check): a
  // short lifetime lets this file's process exit soon after the job, not 5 minutes later.
  const lifecycle = await stack.startLifecycle({ JOBS_LOCK_LIFETIME: '10s' });
  const gatewayService = await stack.startGateway({
    RATE_LIMITS_ENABLED: 'true',
    REDIS_URL: stack.infra.redisUrl,
    RATE_LIMIT_REGISTER: '1/1h',
    QUOTAS_ENABLED: 'true',
    QUOTA_USER: '2',
    CAPTCHA_PROVIDER: 'turnstile',
    CAPTCHA_SECRET: 'siteverify-secret',
    CAPTCHA_VERIFY_URL: `http://127.0.0.1:${siteverifyPort}/siteverify`,
  });
  services = { gateway: gatewayService, identity, notification, lifecycle };

  // A second gateway whose Redis is a closed port: it serves with per-instance limits from its first request.
  fallbackGateway = createGatewayService({
    ...stack.common(),
    GATEWAY_PORT: '0',
    IDENTITY_URL: identity.url,
    RATE_LIMITS_ENABLED: 'true',
    REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    REDIS_PROBE_INTERVAL: '1s',
    QUOTAS_ENABLED: 'false',
  });
  const started = await fallbackGateway.start();
  fallbackUrl = `http://127.0.0.1:${started.port}`;
  fallbackMetricsUrl = `http://127.0.0.1:${started.metricsPort}/metrics`;
});

afterAll(async () => {
  await fallbackGateway?.stop();
  await stack.stop();
  await producer.disconnect();
  await new Promise((resolve) => siteverify?.close(resolve));
});

describe('metrics of the whole stack', () => {
  it('drives every counted path once', async () => {
    expect((await gateway('POST', '/v1/auth/register', { email, password })).status).toBe(201);
    const refused = await gateway('POST', '/v1/auth/register', { email: `b.${email}`, password });
    expect(refused.status).toBe(429);

    const [mail] = await waitFor(async () => {
      const found = await mailpit.search(`to:"${email}"`);
      return found.length > 0 ? found : undefined;
    });
    const token = /verify-email\?token=([A-Za-z0-9_-]{43})/.exec((await mailpit.message(mail!.ID)).Text)?.[1];
    expect((await gateway('POST', '/v1/auth/verify-email', { token })).status).toBe(200);

    const login = await gateway('POST', '/v1/auth/login', { email, password });
    expect(login.status).toBe(200);
    const { access_token } = (await login.json()) as { access_token: string };
    expect((await gateway('POST', '/v1/auth/login', { email, password: 'not the password' })).status).toBe(401);
    const secondFactor = await gateway('POST', '/v1/auth/login/2fa', { mfaToken: 'not-a-token', code: '123456' });
    expect(await secondFactor.json()).toMatchObject({ code: 'token_malformed' });

    // QUOTA_USER=2: the third signed-in request of the month is refused.
    const bearer = { authorization: `Bearer ${access_token}` };
    expect((await gateway('GET', '/v1/users/me', undefined, bearer)).status).toBe(200);
    expect((await gateway('GET', '/v1/users/me', undefined, bearer)).status).toBe(200);
    expect((await gateway('GET', '/v1/users/me', undefined, bearer)).status).toBe(429);

    // waitlist/join takes one request an hour per address: each CAPTCHA outcome comes from an address of its own.
    const joined = await gateway('POST', '/v1/waitlist/join', { email: `w.${email}`, captchaToken: `good.${stack.name}` }, {}, clientIp(2));
    expect(joined.status).toBeLessThan(500);
    expect((await gateway('POST', '/v1/waitlist/join', { email: `x.${email}` }, {}, clientIp(3))).status).toBe(400);

    expect((await call(fallbackUrl, 'GET', '/v1/.well-known/jwks.json')).status).toBe(200);
    // The gateway's readiness asks each upstream's; the email health is notification's own public route.
    expect((await gateway('GET', '/readyz')).status).toBe(200);
    expect((await gateway('GET', '/v1/health/email')).status).toBeLessThan(500);

    // A hard bounce as Mailgun reports it, signed as Mailgun signs (HMAC of timestamp and token).
    const timestamp = String(Math.floor(Date.now() / 1000));
    const mailgunToken = randomBytes(25).toString('hex');
    const signature = {
      timestamp,
      token: mailgunToken,
      signature: createHmac('sha256', MAILGUN_KEY)
        .update(timestamp + mailgunToken)
        .digest('hex'),
    };
    const bounce = {
      event: 'failed',
      severity: 'permanent',
      recipient: `bounced.${email}`,
      timestamp: Number(timestamp),
      id: randomUUID(),
    };
    expect((await gateway('POST', '/v1/webhooks/email/mailgun', { signature, 'event-data': bounce })).status).toBe(200);

    await stack.lifecycle().runJobNow('daily-report');
    // Not an event: the notification consumer parks it on its dead-letter topic.
    await producer.send({
      topic: stack.topic(Topics.notificationEmailRequests),
      messages: [{ key: 'poison', value: 'not a cloud event' }],
    });
  });

  it('answers /metrics on every service in the Prometheus text format, with each series labelled by its service', async () => {
    for (const [name, running] of Object.entries(services)) {
      const { contentType, samples } = await scrape(running.metricsUrl);
      expect(contentType).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.filter((sample) => sample.labels.service !== name)).toEqual([]);
      // Default process metrics, per instance.
      expect(samplesOf(samples, 'process_cpu_user_seconds_total')).toHaveLength(1);
      expect(samplesOf(samples, 'nodejs_eventloop_lag_seconds')).toHaveLength(1);
    }
  });

  it('times HTTP requests by method, route template and status on every service', async () => {
    const name = 'solar_http_request_duration_seconds_count';
    await positive(services.gateway.metricsUrl, name, { method: 'POST', route: '/v1/auth/login', status: '200' });
    await positive(services.gateway.metricsUrl, name, { method: 'POST', route: '/v1/auth/register', status: '429' });
    await positive(services.identity.metricsUrl, name, { method: 'POST', route: '/auth/login', status: '401' });
    await positive(services.identity.metricsUrl, name, { method: 'GET', route: '/users/me', status: '200' });
    await positive(services.gateway.metricsUrl, name, { method: 'GET', route: '/v1/health/email' });
    await positive(services.notification.metricsUrl, name, { method: 'GET', route: '/health/email' });
    await positive(services.lifecycle.metricsUrl, name, { method: 'GET', route: '/readyz', status: '200' });

    const probe = `/v1/no/such/${randomBytes(4).toString('hex')}`;
    await gateway('GET', probe);
    const { samples } = await scrape(services.gateway.metricsUrl);
    const routes = new Set(samplesOf(samples, name).map((sample) => sample.labels.route));
    expect(routes.has('unmatched')).toBe(true);
    expect([...routes].filter((route) => route?.includes(probe) || /[0-9a-f]{24}/.test(route ?? ''))).toEqual([]);
  });

  it('counts the gateway rate-limit hits by row, the Redis fallback, quota rejections and CAPTCHA outcomes', async () => {
    const url = services.gateway.metricsUrl;
    await positive(url, 'solar_gateway_rate_limited_total', { limit: 'register' });
    await positive(url, 'solar_gateway_quota_rejections_total');
    await positive(url, 'solar_gateway_captcha_total', { outcome: 'passed' });
    await positive(url, 'solar_gateway_captcha_total', { outcome: 'missing_token' });
    await positive(url, 'solar_gateway_rate_limits_shared');

    await positive(fallbackMetricsUrl, 'solar_gateway_redis_outages_total');
    await positive(fallbackMetricsUrl, 'solar_gateway_rate_limit_fallbacks_total');
    const { samples } = await scrape(fallbackMetricsUrl);
    expect(samplesOf(samples, 'solar_gateway_rate_limits_shared')).toMatchObject([{ value: 0 }]);
  });

  it('counts identity sign-ins, second factors and registrations by outcome', async () => {
    const url = services.identity.metricsUrl;
    await positive(url, 'solar_identity_logins_total', { outcome: 'success' });
    await positive(url, 'solar_identity_logins_total', { outcome: 'invalid_credentials' });
    await positive(url, 'solar_identity_second_factor_logins_total', { outcome: 'token_malformed' });
    await positive(url, 'solar_identity_registrations_total', { outcome: 'accepted' });
  });

  it('counts emails by provider, template and outcome, and what providers report back', async () => {
    await positive(services.notification.metricsUrl, 'solar_notification_emails_total', {
      provider: 'smtp',
      template: 'verify-email',
      outcome: 'sent',
    });
    await positive(services.notification.metricsUrl, 'solar_notification_mail_events_total', { provider: 'mailgun', kind: 'hard_bounce' });
    const name = 'solar_http_request_duration_seconds_count';
    await positive(services.gateway.metricsUrl, name, { method: 'POST', route: '/v1/webhooks/email/mailgun', status: '200' });
    await positive(services.notification.metricsUrl, name, { method: 'POST', route: '/webhooks/email/mailgun', status: '200' });
  });

  it('counts lifecycle job runs and times them by job name', async () => {
    const url = services.lifecycle.metricsUrl;
    await positive(url, 'solar_lifecycle_jobs_total', { job: 'daily-report', outcome: 'succeeded' });
    await positive(url, 'solar_lifecycle_job_duration_seconds_count', { job: 'daily-report', outcome: 'succeeded' });
  });

  it('records Kafka processing delay, outcomes, lag and dead letters, and the outbox relay', async () => {
    const notification = services.notification.metricsUrl;
    const topic = Topics.notificationEmailRequests;
    await positive(notification, 'solar_kafka_consume_delay_seconds_count', {
      topic,
      type: 'com.solar-intelligence.notification.EmailRequested.v1',
    });
    await positive(notification, 'solar_kafka_messages_total', { topic, outcome: 'processed' });
    await positive(notification, 'solar_kafka_messages_total', { topic, outcome: 'dead_lettered' });
    await positive(notification, 'solar_kafka_dead_letters_total', { topic });
    const { samples } = await scrape(notification);
    expect(samplesOf(samples, 'solar_kafka_consumer_lag', { group: 'notification', topic }).length).toBeGreaterThan(0);

    const identity = services.identity.metricsUrl;
    await positive(identity, 'solar_outbox_published_total', { collection: 'users' });
    const identitySamples = (await scrape(identity)).samples;
    expect(samplesOf(identitySamples, 'solar_outbox_backlog', { collection: 'users' })).toHaveLength(1);
  });

  it('serves nothing of /metrics on the gateway public port', async () => {
    for (const path of ['/metrics', '/v1/metrics', '/v1/../metrics', '/METRICS']) {
      const response = await gateway('GET', path);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await response.text()).not.toContain('solar_http_request_duration_seconds');
    }
    expect(services.gateway.metricsUrl).not.toContain(new URL(services.gateway.url).host);
  });
});

describe('a service run as deployed', () => {
  it('reports its metrics port in its started line, and serves /metrics there', async () => {
    const gatewayProcess = new ServiceProcess({
      entry: join(__dirname, '../../services/gateway/dist/src/server.js'),
      env: { GATEWAY_PORT: '0', HOST: '127.0.0.1', METRICS_HOST: '127.0.0.1', RATE_LIMITS_ENABLED: 'false', QUOTAS_ENABLED: 'false' },
      logFile: join(__dirname, '../../.local/test/service-logs', stack.name, 'gateway-process.log'),
    });
    try {
      const { port, metricsPort } = await gatewayProcess.start();
      expect(metricsPort).toEqual(expect.any(Number));
      // The API port it names is not where the metrics are.
      const api = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(api.status).toBeGreaterThanOrEqual(400);
      expect(await api.text()).not.toContain('process_cpu_user_seconds_total');
      const { samples } = await scrape(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(samplesOf(samples, 'process_cpu_user_seconds_total', { service: 'gateway' })).toHaveLength(1);
    } finally {
      await gatewayProcess.stop();
    }
  });
});

describe('the Prometheus text reader these tests trust', () => {
  it('reads HELP, TYPE, escaped labels and histogram samples', () => {
    const text = [
      '# HELP a_total A count.',
      '# TYPE a_total counter',
      'a_total{route="/x",note="say \\"hi\\"\\n"} 3',
      '# TYPE h histogram',
      'h_bucket{le="+Inf"} 1',
      'h_sum 0.5',
      'h_count 1',
      '',
    ].join('\n');
    expect(parsePrometheusText(text)).toEqual([
      { name: 'a_total', labels: { route: '/x', note: 'say "hi"\n' }, value: 3 },
      { name: 'h_bucket', labels: { le: '+Inf' }, value: 1 },
      { name: 'h_sum', labels: {}, value: 0.5 },
      { name: 'h_count', labels: {}, value: 1 },
    ]);
  });

  it.each([
    ['a sample before its TYPE', 'a 1\n'],
    ['an unquoted label value', '# TYPE a gauge\na{x=1} 1\n'],
    ['a value that is not a number', '# TYPE a gauge\na one\n'],
    ['a second TYPE', '# TYPE a gauge\n# TYPE a gauge\n'],
    ['no final newline', '# TYPE a gauge\na 1'],
  ])('refuses %s', (_, text) => {
    expect(() => parsePrometheusText(text)).toThrow();
  });
});
