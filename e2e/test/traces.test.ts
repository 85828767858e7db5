import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Topics, registry } from '@solar/contracts';
import { Mailpit, SentryReceiver, waitFor } from '@solar/chassis/testing';
import { OtlpReceiver, SpanKinds, type ReceivedSpan } from './support/otlp-receiver';
import { TestStack } from './support/stack';

// The services run as processes from their compiled entry points: OpenTelemetry's instrumentation
// patches modules through require hooks, which Jest's module system bypasses.
const stack = new TestStack('traces', { processes: true });
const mailpit = new Mailpit(stack.infra.mailpitUrl);
const receiver = new OtlpReceiver();
const sentry = new SentryReceiver();
const password = 'tracing horse battery staple';
let gatewayUrl: string;

beforeAll(async () => {
  await receiver.start();
  await sentry.start();
  // Spans exported at once rather than every 5 s, so the test waits for them no longer than for the
  // email; Sentry on too, to show that it leaves the one OpenTelemetry setup alone.
  const telemetry = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '100', SENTRY_DSN: sentry.dsn };
  await stack.startIdentity(telemetry);
  await stack.startNotification(telemetry);
  gatewayUrl = (await stack.startGateway(telemetry)).url;
}, 120_000);

afterAll(async () => {
  await stack.stop();
  await receiver.stop();
  await sentry.stop();
});

const isRegisterRequest = (span: ReceivedSpan) =>
  span.service === 'gateway' && span.kind === SpanKinds.server && JSON.stringify(span.attributes).includes('/v1/auth/register');

/** The chain of spans from this one up to its root, as far as the parents were received. */
function ancestry(span: ReceivedSpan, trace: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(trace.map((s) => [s.spanId, s]));
  const chain = [span];
  for (let parent = byId.get(span.parentSpanId); parent; parent = byId.get(parent.parentSpanId)) chain.push(parent);
  return chain;
}

describe('telemetry of the services as deployed', () => {
  it('follows a registration through the gateway, identity, Kafka and notification to the email, with no personal data in spans', async () => {
    const email = `trace.${stack.name}@example.test`.toLowerCase();
    const response = await stack.fetch(`${gatewayUrl}/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(response.status).toBe(201);

    const [summary] = await waitFor(
      async () => {
        const found = await mailpit.search(`to:"${email}"`);
        return found.length > 0 ? found : undefined;
      },
      { what: `the verification email to ${email}` },
    );
    const token = /token=([A-Za-z0-9_-]+)/.exec((await mailpit.message(summary!.ID)).Text)?.[1];
    expect(token).toBeDefined();

    const userTopic = stack.topic(Topics.identityUser);
    const emailTopic = stack.topic(Topics.notificationEmailRequests);
    // Spans arrive in batches from three processes: wait until the whole path is in, without orphans.
    const { root, trace } = await waitFor(
      () => {
        const root = receiver.spans.find(isRegisterRequest);
        if (!root) throw new Error('no server span of the gateway for the register request yet');
        const trace = receiver.trace(root.traceId);
        if (!trace.some((span) => span.service === 'notification' && span.name === 'smtp send')) throw new Error('no smtp send span yet');
        if (!trace.some((span) => span.name === `send ${userTopic}`)) throw new Error('no publish of UserRegistered yet');
        const ids = new Set(trace.map((span) => span.spanId));
        const orphans = trace.filter((span) => span !== root && !ids.has(span.parentSpanId));
        if (orphans.length > 0)
          throw new Error(`spans whose parent is missing: ${orphans.map((s) => `${s.service}:${s.name}`).join(', ')}`);
        return { root, trace };
      },
      { what: 'the complete trace of the registration', timeoutMs: 30_000 },
    );
    expect(receiver.errors).toEqual([]);

    // The gateway's server span is the root, the one span without a parent.
    expect(root.parentSpanId).toBe('');
    expect(trace.filter((span) => span.parentSpanId === '')).toEqual([root]);

    const find = (what: string, predicate: (span: ReceivedSpan) => boolean) => {
      const span = trace.find(predicate);
      if (!span) throw new Error(`no ${what} in the trace: ${trace.map((s) => `${s.service}:${s.name}`).join(', ')}`);
      return span;
    };
    const identityServer = find('identity server span', (s) => s.service === 'identity' && s.kind === SpanKinds.server);
    const publishedUser = find(
      'UserRegistered publish',
      (s) => s.service === 'identity' && s.kind === SpanKinds.producer && s.name === `send ${userTopic}`,
    );
    const publishedEmail = find(
      'EmailRequested publish',
      (s) => s.service === 'identity' && s.kind === SpanKinds.producer && s.name === `send ${emailTopic}`,
    );
    const consumed = find(
      'notification consume',
      (s) => s.service === 'notification' && s.kind === SpanKinds.consumer && s.name === `process ${emailTopic}`,
    );
    const smtp = find('smtp send', (s) => s.service === 'notification' && s.name === 'smtp send');
    expect(smtp.attributes).toMatchObject({ 'email.provider': 'smtp', 'email.template': 'verify-email' });

    // One tree: the SMTP send under notification's consume, under identity's publish, under identity's
    // request, under the gateway's.
    const path = ancestry(smtp, trace);
    for (const span of [consumed, publishedEmail, identityServer, root]) expect(path).toContain(span);
    expect(ancestry(publishedUser, trace)).toContain(identityServer);

    // Log lines written in the trace carry its id: notification's, for one.
    const notificationLog = readFileSync(join(__dirname, '../..', '.local/test/service-logs', stack.name, 'notification.log'), 'utf8');
    const handledLine = notificationLog
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.msg === 'email request handled' && line.template === 'verify-email');
    expect(handledLine).toMatchObject({ trace_id: root.traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(sentry.envelopes).toEqual([]);

    // Nothing personal or secret in any span of any service: no address, password or token.
    const everything = JSON.stringify(receiver.spans.map((span) => span.attributes));
    expect(everything).not.toContain(email);
    expect(everything).not.toContain(password);
    expect(everything).not.toContain(token);
    expect(everything).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
  });

  it('reports an event sent to the dead-letter topic to Sentry, tagged with the trace the record carried and without its address', async () => {
    const traceId = randomBytes(16).toString('hex');
    const victim = `victim.${stack.name}@example.test`.toLowerCase();
    const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), clientId: 'traces-test', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({
        topic: stack.topic(Topics.notificationEmailRequests),
        messages: [
          {
            key: 'poison',
            // Not an EmailRequested: the template does not exist, so the consumer parks it at once.
            value: JSON.stringify({ template: 'no-such-template', to: victim, locale: 'en', variables: {} }),
            headers: {
              ce_specversion: '1.0',
              ce_id: randomUUID(),
              ce_source: '/traces-test',
              ce_type: registry.EmailRequested.type,
              ce_time: new Date().toISOString(),
              ce_subject: 'poison',
              'content-type': 'application/json',
              traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01`,
            },
          },
        ],
      });
    } finally {
      await producer.disconnect();
    }

    const envelope = await waitFor(
      () => sentry.envelopes.find((e) => e.events.some((event) => (event.tags as Record<string, string>).kind === 'dead_letter')),
      { what: 'the dead-letter report' },
    );
    expect(envelope.events[0]).toMatchObject({
      tags: { kind: 'dead_letter', trace_id: traceId },
      environment: 'test',
      release: 'notification@0.1.0',
    });
    expect(envelope.body).not.toContain(victim);
  });
});
