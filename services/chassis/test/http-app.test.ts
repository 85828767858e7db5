/**
 * createHttpApp as every service runs it: health endpoints, request ids, body limits and RFC 9457
 * problem+json errors with stable codes. No network besides supertest's ephemeral server.
 */
import request from 'supertest';
import { z } from 'zod';
import { AppError, Health, Metrics, createHttpApp, createLogger, metricsListener } from '@solar/chassis';

const logger = createLogger({ service: 'chassis-http-test', level: 'silent' });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PROBLEM_JSON = /^application\/problem\+json/;

const SignUp = z.object({
  email: z.email(),
  password: z.string().min(12),
  plan: z.enum(['free', 'pro']),
});

/** The metrics port's listener, where the detailed readiness lives. */
function operator(health: Health) {
  return metricsListener(new Metrics('chassis-http-test'), health);
}

function app(options: { health?: Health; bodyLimit?: string } = {}) {
  return createHttpApp({
    logger,
    health: options.health ?? new Health(),
    ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}),
    routes: (express) => {
      express.post('/echo', (req, res) => {
        res.json({ received: req.body as unknown });
      });
      express.post('/sign-up', (req, res) => {
        const body = SignUp.parse(req.body);
        res.status(201).json({ email: body.email });
      });
      express.post('/things/:id', () => {
        throw new AppError('conflict', 'That thing already exists', { thingId: 'abc' });
      });
      express.get('/boom', () => {
        throw new Error('db password is hunter2 at mongodb://admin:s3cret@db');
      });
      express.get('/boom-async', async () => {
        await Promise.resolve();
        throw new Error('async failure with secret-token-123');
      });
    },
  });
}

describe('createHttpApp', () => {
  describe('health', () => {
    it('/healthz answers 200 alive', async () => {
      const response = await request(app()).get('/healthz');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'alive' });
    });

    it('/readyz answers 200 when every check passes: status only on the API port, every check on the metrics port', async () => {
      const health = new Health();
      health.register('mongo', async () => undefined);
      health.register('kafka', async () => ({ brokers: 1 }));
      const response = await request(app({ health })).get('/readyz');
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: 'ready' });
      const detailed = await request(operator(health)).get('/readyz');
      expect(detailed.status).toBe(200);
      expect(detailed.body).toEqual({
        status: 'ready',
        ready: true,
        draining: false,
        checks: { mongo: { status: 'up', critical: true }, kafka: { status: 'up', critical: true, detail: { brokers: 1 } } },
      });
    });

    it('/readyz answers 503 when one fails: without the error on the API port, with it on the metrics port', async () => {
      const health = new Health();
      health.register('mongo', async () => undefined);
      health.register('kafka', async () => {
        throw new Error('producer is not connected to Kafka');
      });
      const response = await request(app({ health })).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'not_ready' });
      expect(response.text).not.toContain('Kafka');
      const detailed = await request(operator(health)).get('/readyz');
      expect(detailed.status).toBe(503);
      expect(detailed.body).toMatchObject({ status: 'not_ready', ready: false, draining: false });
      expect(detailed.body.checks).toEqual({
        mongo: { status: 'up', critical: true },
        kafka: { status: 'down', critical: true, error: 'producer is not connected to Kafka' },
      });
    });

    it('/readyz stays 200 when only a non-critical check fails, and reports it on the metrics port', async () => {
      const health = new Health();
      health.register('mongo', async () => undefined);
      health.register(
        'kafka',
        async () => {
          throw new Error('producer is not connected to Kafka');
        },
        { critical: false },
      );
      expect((await request(app({ health })).get('/readyz')).status).toBe(200);
      const response = await request(operator(health)).get('/readyz');
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ ready: true, checks: { kafka: { status: 'down', critical: false } } });
    });

    it('/readyz answers 503 when a check does not answer within the timeout', async () => {
      const health = new Health(100);
      health.register('stuck', () => new Promise<void>(() => undefined));
      expect((await request(app({ health })).get('/readyz')).status).toBe(503);
      const response = await request(operator(health)).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body.checks).toEqual({ stuck: { status: 'down', critical: true, error: 'no answer within 100 ms' } });
    });

    it('/readyz on the API port runs at most one round of checks a second, however many ask', async () => {
      let now = 0;
      let rounds = 0;
      const health = new Health(2_000, 1_000, () => now);
      health.register('mongo', async () => {
        rounds += 1;
      });
      const service = app({ health });
      const statuses = await Promise.all(Array.from({ length: 20 }, async () => (await request(service).get('/readyz')).status));
      expect(statuses.every((status) => status === 200)).toBe(true);
      now = 999;
      expect((await request(service).get('/readyz')).status).toBe(200);
      expect(rounds).toBe(1);
      now = 1_000;
      expect((await request(service).get('/readyz')).status).toBe(200);
      expect(rounds).toBe(2);
    });

    it('/readyz answers 503 after startDraining even though every check passes, without waiting for the cache', async () => {
      const health = new Health();
      health.register('mongo', async () => undefined);
      const service = app({ health });
      expect((await request(service).get('/readyz')).status).toBe(200);
      health.startDraining();
      const response = await request(service).get('/readyz');
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ status: 'not_ready' });
      const detailed = await request(operator(health)).get('/readyz');
      expect(detailed.body).toMatchObject({ status: 'not_ready', ready: false, draining: true, checks: { mongo: { status: 'up' } } });
      // Liveness is unaffected: a draining process is still alive.
      expect((await request(service).get('/healthz')).status).toBe(200);
    });
  });

  describe('problem+json errors', () => {
    it('an AppError becomes its status with code, title, status, detail, instance and requestId', async () => {
      const response = await request(app()).post('/things/42?x=1').set('x-request-id', 'req-conflict-1').send({ name: 'x' });
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: 'urn:solar-accounts:problem:conflict',
        code: 'conflict',
        title: 'Conflict',
        status: 409,
        detail: 'That thing already exists',
        instance: '/things/42?x=1',
        requestId: 'req-conflict-1',
        thingId: 'abc',
      });
    });

    it('a ZodError becomes 400 validation_failed listing each field, without echoing submitted values', async () => {
      const submitted = { email: 'not-an-email-SECRET1', password: 'SECRET2', plan: 'enterprise-SECRET3' };
      const response = await request(app()).post('/sign-up').send(submitted);
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({ code: 'validation_failed', status: 400, instance: '/sign-up' });
      expect(response.body.requestId).toMatch(UUID);
      const errors = response.body.errors as { path: string; message: string }[];
      expect(errors.map((e) => e.path).sort()).toEqual(['email', 'password', 'plan']);
      for (const error of errors) expect(typeof error.message).toBe('string');
      expect(response.text).not.toContain('SECRET');
    });

    it('a missing body is reported at (body) level rather than failing with 500', async () => {
      const response = await request(app()).post('/sign-up');
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors).toEqual([{ path: '(body)', message: expect.any(String) }]);
    });

    it('malformed JSON becomes 400 malformed_json without quoting the body', async () => {
      const response = await request(app())
        .post('/echo')
        .set('content-type', 'application/json')
        .send('{"password": "SECRET-IN-BROKEN-JSON"');
      expect(response.status).toBe(400);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({ code: 'malformed_json', status: 400, instance: '/echo' });
      expect(response.text).not.toContain('SECRET-IN-BROKEN-JSON');
    });

    it('a body over the limit becomes 413 payload_too_large, and one under it is accepted', async () => {
      const service = app({ bodyLimit: '1kb' });
      const small = await request(service)
        .post('/echo')
        .send({ text: 'x'.repeat(500) });
      expect(small.status).toBe(200);
      const response = await request(service)
        .post('/echo')
        .send({ text: 'x'.repeat(2_000) });
      expect(response.status).toBe(413);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({ code: 'payload_too_large', status: 413 });
    });

    it('a form body with more fields than the parser allows becomes a 4xx problem, not a 500', async () => {
      const fields = Array.from({ length: 1_500 }, (_, i) => `f${i}=x`).join('&');
      const response = await request(app()).post('/echo').type('form').send(fields);
      expect(response.status).toBe(413);
      expect(response.body).toMatchObject({ code: 'payload_too_large' });
    });

    it('an unknown route becomes a 404 problem', async () => {
      const response = await request(app()).get('/no/such/route');
      expect(response.status).toBe(404);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toMatchObject({ code: 'not_found', status: 404, title: 'Not found', instance: '/no/such/route' });
      expect(response.body.requestId).toBe(response.headers['x-request-id']);
    });

    it.each(['/boom', '/boom-async'])('an unexpected error (%s) becomes 500 internal_error without its message or stack', async (path) => {
      const response = await request(app()).get(path);
      expect(response.status).toBe(500);
      expect(response.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(response.body).toEqual({
        type: 'urn:solar-accounts:problem:internal_error',
        code: 'internal_error',
        title: 'Internal error',
        status: 500,
        detail: 'Something went wrong on our side',
        instance: path,
        requestId: expect.stringMatching(UUID),
      });
      for (const leak of ['hunter2', 's3cret', 'secret-token-123', 'failure', 'Error', 'at ', '.ts:']) {
        expect(response.text).not.toContain(leak);
      }
    });
  });

  describe('x-request-id', () => {
    it('echoes a well-formed incoming id in the header and the problem body', async () => {
      const id = 'trace-1234.abc:DEF_5';
      const response = await request(app()).get('/no/such/route').set('x-request-id', id);
      expect(response.headers['x-request-id']).toBe(id);
      expect(response.body.requestId).toBe(id);
    });

    it('generates one when none is sent', async () => {
      const response = await request(app()).get('/healthz');
      expect(response.headers['x-request-id']).toMatch(UUID);
    });

    it.each([
      ['500 characters', 'a'.repeat(500)],
      ['spaces', 'hello world'],
      ['a log-injection attempt', 'abc\tlevel=fatal'],
    ])('replaces an id with %s by a fresh UUID', async (_label, garbage) => {
      const response = await request(app()).post('/things/1').set('x-request-id', garbage);
      expect(response.status).toBe(409);
      expect(response.headers['x-request-id']).toMatch(UUID);
      expect(response.headers['x-request-id']).not.toBe(garbage);
      expect(response.body.requestId).toBe(response.headers['x-request-id']);
    });
  });
});

describe('createHttpApp rawBody', () => {
  const raw = createHttpApp({
    logger,
    health: new Health(),
    bodyLimit: '1kb',
    rawBody: { paths: ['/webhooks'], limit: '2kb' },
    routes: (express) => {
      express.post('/webhooks/hook', (req, res) => {
        res.json({ isBuffer: Buffer.isBuffer(req.body), text: Buffer.isBuffer(req.body) ? req.body.toString('utf8') : null });
      });
      express.post('/echo', (req, res) => {
        res.json({ received: req.body as unknown });
      });
    },
  });

  it('hands bodies under the path to the route as the exact bytes, whatever the content type', async () => {
    const body = '{ "a" : 1 }\n';
    for (const type of ['application/json', 'text/plain; charset=UTF-8', 'application/x-www-form-urlencoded']) {
      const response = await request(raw).post('/webhooks/hook').set('content-type', type).send(body);
      expect(response.body).toEqual({ isBuffer: true, text: body });
    }
  });

  it('keeps parsing JSON elsewhere, and applies its own limit under the path', async () => {
    expect((await request(raw).post('/echo').send({ a: 1 })).body).toEqual({ received: { a: 1 } });
    const hook = (size: number) => request(raw).post('/webhooks/hook').set('content-type', 'application/json').send('x'.repeat(size));
    expect((await hook(1_500)).status).toBe(200);
    expect((await hook(2_500)).status).toBe(413);
    expect(
      (
        await request(raw)
          .post('/echo')
          .set('content-type', 'application/json')
          .send(`"${'x'.repeat(1_500)}"`)
      ).status,
    ).toBe(413);
  });
});
