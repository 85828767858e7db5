import { generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { Express } from 'express';
import { httpOperations, openApiDocument } from '@solar/contracts';
import { validatingFetch } from '@solar/chassis/testing';
import { createGatewayService } from '@solar/gateway';
import { TestStack } from './support/stack';

/**
 * The published spec against what the services really do: it lists exactly the routes identity,
 * notification and lifecycle register, each reaches through the gateway a service that has it, and
 * the gateway's 429 is the one documented. The document itself and the docs page, which the gateway
 * alone serves, are tested in the gateway's own openapi.test.ts.
 * Whether answers match it is checked in every test that calls the API through `TestStack.fetch`.
 */
const stack = new TestStack('openapi');
/**
 * Paths the chassis gives every service for operators, and identity's session and provider-token
 * introspection for the other services (the gateway routes none of them): outside the public API
 * and its spec.
 */
const OPERATOR_ROUTES = new Set(['get /healthz', 'get /readyz', 'get /internal/session', 'get /internal/provider-token']);
const apps = new Map<string, Express>();
let gatewayUrl: string;
let identityUrl: string;

/** Minimal view of Express 5's router layers, for listing what an app registered. */
interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
  slash?: boolean;
  /** The path the layer was mounted with (router 2). */
  rawPath?: unknown;
}

/** "method /path" for every route of an app, routers mounted under a path included, paths in OpenAPI form. */
function routesOf(stack: Layer[], prefix = ''): string[] {
  const found: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        const openApiPath = `${prefix}${path}`.replace(/:(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) if (method !== '_all') found.push(`${method} ${openApiPath}`);
      }
    } else if (layer.handle.stack) {
      if (layer.slash) found.push(...routesOf(layer.handle.stack, prefix));
      else if (typeof layer.rawPath === 'string') found.push(...routesOf(layer.handle.stack, `${prefix}${layer.rawPath}`));
      else found.push(`use ${prefix} (a router mounted at a pattern, which this listing cannot read)`);
    }
  }
  return found;
}

/** The registry's operations of one service (the published document does not name services). */
const operationsOf = (service: string) => httpOperations.filter((op) => op.service === service).map((op) => `${op.method} ${op.path}`);

beforeAll(async () => {
  // The services build their Express app inside start(); the chassis hands it to http.createServer.
  const createServer = jest.spyOn(http, 'createServer');
  const captureApp = (name: string) => {
    // The last Express app handed over: the /metrics listener, created after it, is no Express app.
    const app = createServer.mock.calls
      .map(([listener]) => listener as unknown)
      .findLast((listener) => typeof listener === 'function' && 'router' in listener);
    if (typeof app !== 'function') throw new Error(`${name} did not create an HTTP server with its app`);
    apps.set(name, app as unknown as Express);
  };
  identityUrl = (await stack.startIdentity()).url;
  captureApp('identity');
  // Every webhook endpoint exists only when its provider is configured: all of them are, here.
  const sendgridKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ format: 'der', type: 'spki' });
  await stack.startNotification({
    SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKey.toString('base64'),
    MAILGUN_WEBHOOK_SIGNING_KEY: 'openapi-test-mailgun-key',
    SES_SNS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:openapi-test',
  });
  captureApp('notification');
  await stack.startLifecycle();
  captureApp('lifecycle');
  createServer.mockRestore();
  gatewayUrl = (await stack.startGateway()).url;
});

afterAll(() => stack.stop());

describe('routes', () => {
  const spec = openApiDocument();

  it.each(['identity', 'notification', 'lifecycle'])(
    'every route %s registers is in the spec, and every spec operation of it exists',
    (service) => {
      const app = apps.get(service)!;
      const registered = routesOf(app.router.stack as unknown as Layer[]).filter((route) => !OPERATOR_ROUTES.has(route));
      expect(registered.sort()).toEqual(operationsOf(service).sort());
    },
  );

  it('routes each operation through the gateway to a service that has it', async () => {
    // A service without the route, or the gateway without the prefix, would answer the chassis's "No route" 404.
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const response = await fetch(`${gatewayUrl}/v1${path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000')}`, {
          method: method.toUpperCase(),
          headers: { 'content-type': 'application/json' },
          ...(method === 'get' || method === 'delete' ? {} : { body: '{}' }),
        });
        const body = (await response.json()) as { detail?: string };
        expect([op.operationId, response.status === 404 && /^No route/.test(body.detail ?? '')]).toEqual([op.operationId, false]);
      }
    }
  });
});

describe('rate limits', () => {
  it('answers 429 as the spec documents it, headers included', async () => {
    const gateway = createGatewayService({
      ...stack.common(),
      GATEWAY_PORT: '0',
      IDENTITY_URL: identityUrl,
      REDIS_URL: stack.infra.redisUrl,
      RATE_LIMIT_LOGIN: '1/1m',
    });
    const url = `http://127.0.0.1:${(await gateway.start()).port}`;
    try {
      const api = validatingFetch(openApiDocument(), `${url}/v1`);
      // A client address of this run's own (the gateway trusts loopback proxies), so no other run shares its count.
      const client = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
      const login = () =>
        api(`${url}/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
          body: JSON.stringify({ email: `nobody.${stack.name}@example.test`.toLowerCase(), password: 'wrong' }),
        });
      expect((await login()).status).toBe(401);
      expect((await login()).status).toBe(429);
    } finally {
      await gateway.stop();
    }
  });
});
