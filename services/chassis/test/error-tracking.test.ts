/**
 * Sentry error reports against a local server speaking Sentry's envelope endpoint
 * (`POST /api/<project>/envelope/`). The request runs in a manual server span, standing in for the
 * http instrumentation that Jest's module system keeps out.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, trace } from '@opentelemetry/api';
import { createHttpApp, createLogger, Health, startErrorTracking, stopErrorTracking } from '@solar/chassis';
import { SentryReceiver, recordSpans, waitFor } from '@solar/chassis/testing';

const recorder = recordSpans();
const tracer = trace.getTracer('error-tracking-test');

const sentry = new SentryReceiver();

const email = 'ada.lovelace@example.test';
const password = 'correct horse battery staple';
const token = 'tok_9f8e7d6c5b4a';
const jwt = 'eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2lnbmF0dXJl';
const clientIp = '203.0.113.77';
const cookie = 'sid=s3cr3t-session';

let app: Server;
let url: string;
let traceId = '';

beforeAll(async () => {
  await sentry.start();
  startErrorTracking({ dsn: sentry.dsn, environment: 'test', release: 'chassis@test' });
  const express = createHttpApp({
    logger: createLogger({ service: 'error-tracking-test', level: 'silent' }),
    health: new Health(),
    trustProxy: 'loopback',
    routes: (routes) => {
      routes.post('/boom', (req) => {
        const body = req.body as { email: string };
        throw new Error(`could not register ${body.email}: session ${jwt} from ${req.ip}`);
      });
    },
  });
  app = createServer((req, res) =>
    tracer.startActiveSpan('POST /boom', { kind: SpanKind.SERVER }, (span) => {
      traceId = span.spanContext().traceId;
      res.on('finish', () => span.end());
      express(req, res);
    }),
  );
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await stopErrorTracking();
  await new Promise((resolve) => app?.close(resolve));
  await sentry.stop();
  await recorder.stop();
});

describe('error reports to Sentry', () => {
  it('reports an unhandled error in a route with its trace id and without the email, password, token, cookie or IP of the request', async () => {
    const response = await fetch(`${url}/boom`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${jwt}`,
        cookie,
        'x-forwarded-for': clientIp,
      },
      body: JSON.stringify({ email, password, token }),
    });
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toContain('application/problem+json');

    const envelope = await waitFor(() => sentry.envelopes.find((e) => e.events.length > 0), { what: 'an error envelope' });
    expect(envelope.path.split('?')[0]).toBe('/api/42/envelope/');
    const event = envelope.events[0] as {
      tags: Record<string, string>;
      contexts: { trace: { trace_id: string } };
      exception: { values: { value: string }[] };
    };

    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(event.tags).toMatchObject({ trace_id: traceId, kind: 'http' });
    expect(event.contexts.trace.trace_id).toBe(traceId);
    expect(event.exception.values[0]!.value).toBe('could not register [email]: session [token] from [ip]');
    for (const secret of [email, password, token, jwt, cookie, 's3cr3t-session', clientIp]) expect(envelope.body).not.toContain(secret);
  });
});
