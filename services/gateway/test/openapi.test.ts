import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { promisify } from 'node:util';
import type { Express } from 'express';
import { chromium } from 'playwright-core';
import { httpOperations, openApiDocument, type OpenApiDocument } from '@solar/contracts';
import { validatingFetch } from '@solar/chassis/testing';
import { createGatewayService } from '../src/main';
import { DOCS_CSP } from '../src/openapi/docs-page';
import { USAGE_PATH } from '../src/quotas/monthly-quota';
import { TestStack } from './support/stack';

/**
 * The published spec against what the services really do: it is valid OpenAPI 3.1, it lists exactly
 * the routes identity, notification and lifecycle register and those the gateway answers itself, and its docs
 * page loads from the gateway alone.
 * Whether answers match it is checked in every test that calls the API through `TestStack.fetch`.
 */
const stack = new TestStack('openapi');
// Debian's chromium, installed by scripts/test.sh; never a browser Playwright downloads.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Paths the chassis gives every service for operators: outside the public API and its spec. */
const OPERATOR_ROUTES = new Set(['get /healthz', 'get /readyz']);
const apps = new Map<string, Express>();

/**
 * The validator is an ES module that reads its schemas through import.meta, which Jest's CommonJS
 * runtime cannot load: it runs in a Node process of its own, with the document on stdin.
 */
async function validateOpenApi(document: unknown): Promise<unknown> {
  const script = `
    import { Validator } from '@seriousme/openapi-schema-validator';
    let input = '';
    for await (const chunk of process.stdin) input += chunk;
    const result = await new Validator().validate(JSON.parse(input));
    process.stdout.write(JSON.stringify(result));`;
  const child = promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], { cwd: __dirname });
  child.child.stdin!.end(JSON.stringify(document));
  return JSON.parse((await child).stdout) as unknown;
}
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

describe('GET /openapi.json', () => {
  it('serves the document built from the operations registry', async () => {
    const response = await fetch(`${gatewayUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    // Public, and under the gateway's security headers like every answer.
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const spec = (await response.json()) as OpenApiDocument;
    expect(spec).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(spec.openapi).toBe('3.1.0');
    expect(spec.servers).toEqual([{ url: '/v1' }]);
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.components.schemas.Problem).toMatchObject({ type: 'object', required: expect.arrayContaining(['code', 'status']) });
  });

  it('is a valid OpenAPI 3.1 document, and the validator refuses a broken one', async () => {
    expect(await validateOpenApi(openApiDocument())).toEqual({ valid: true });
    const broken = openApiDocument();
    (broken.paths['/auth/login']!.post! as unknown as Record<string, unknown>).responses = 'none';
    expect(await validateOpenApi(broken)).toMatchObject({ valid: false });
  });

  it('gives every operation an id, a summary, its success answers and its problem answers', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(openApiDocument().paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect([path, method, ids.has(op.operationId)]).toEqual([path, method, false]);
        ids.add(op.operationId);
        expect(op.summary.length).toBeGreaterThan(0);
        expect(Object.keys(op.responses).some((status) => status.startsWith('2'))).toBe(true);
        expect(op.responses['429']?.headers).toHaveProperty('Retry-After');
        expect(op.responses['429']?.headers).toHaveProperty('RateLimit');
        if (op.security.length > 0) expect(op.responses['401']).toBeDefined();
      }
    }
  });
});

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

  it('lists as the gateway’s own exactly the operations it answers itself', () => {
    // The gateway has no router of operations to list: its one answer of its own is the quota middleware's.
    expect(operationsOf('gateway')).toEqual([`get ${USAGE_PATH}`]);
  });

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

describe('GET /docs', () => {
  it('answers an HTML page with its own policy, whose every asset the gateway serves with the right type', async () => {
    const page = await fetch(`${gatewayUrl}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    // helmet's headers, with the page's own policy in place of helmet's.
    expect(page.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<script [^>]*>[^<]/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    const TYPES: Record<string, RegExp> = { css: /^text\/css/, js: /^(text|application)\/javascript/, png: /^image\/png/ };
    for (const asset of assets) {
      expect(asset).toMatch(/^\/docs\//);
      const response = await fetch(`${gatewayUrl}${asset}`);
      expect([asset, response.status]).toEqual([asset, 200]);
      expect([asset, response.headers.get('content-type')]).toEqual([asset, expect.stringMatching(TYPES[asset.split('.').pop()!]!)]);
    }
  });

  it('serves only the listed swagger-ui files, not the package’s demo page', async () => {
    for (const file of ['index.html', 'swagger-initializer.js', '..%2Fpackage.json']) {
      expect((await fetch(`${gatewayUrl}/docs/assets/${file}`)).status).toBe(404);
    }
  });

  it('renders every operation in headless Chromium under its policy', async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium not found at ${CHROMIUM}. Install it with \`apt-get install -y chromium\` (scripts/test.sh does so as root), or set CHROMIUM_PATH.`,
      );
    }
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('requestfailed', (request) => problems.push(`${request.url()} failed`));
      await page.goto(`${gatewayUrl}/docs`, { waitUntil: 'load' });
      const operations = Object.values(openApiDocument().paths).reduce((count, item) => count + Object.keys(item).length, 0);
      await page
        .locator('.opblock')
        .nth(operations - 1)
        .waitFor({ timeout: 20_000 });
      expect(await page.locator('.opblock').count()).toBe(operations);
      expect(await page.locator('.info .title').innerText()).toContain('Solar Accounts API');
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
