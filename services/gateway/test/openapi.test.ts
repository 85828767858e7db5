import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import { httpOperations, openApiDocument, type OpenApiDocument } from '@solar/contracts';
import type { Service } from '@solar/chassis';
import { createGatewayService } from '../src/main';
import { DOCS_CSP } from '../src/openapi/docs-page';
import { USAGE_PATH } from '../src/quotas/monthly-quota';

/**
 * The document the gateway publishes: valid OpenAPI 3.1, built from the operations registry, with
 * the gateway's own operations exactly those it answers itself, and its docs page loading from the
 * gateway alone. No upstream is needed (the services' routes against it: e2e/test/openapi.test.ts).
 */
// Debian's chromium, installed by scripts/test.sh; never a browser Playwright downloads.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let gateway: Service;
let gatewayUrl: string;

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

beforeAll(async () => {
  // Upstreams on a port nothing listens on: everything tested here is the gateway's own answer.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const nowhere = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
  await new Promise((resolve) => probe.close(resolve));
  gateway = createGatewayService({
    NODE_ENV: 'test',
    LOG_LEVEL: 'fatal',
    GATEWAY_PORT: '0',
    HOST: '127.0.0.1',
    IDENTITY_URL: nowhere,
    RATE_LIMITS_ENABLED: 'false',
    QUOTAS_ENABLED: 'false',
  });
  gatewayUrl = `http://127.0.0.1:${(await gateway.start()).port}`;
});

afterAll(() => gateway.stop());

/** The registry's operations of one service (the published document does not name services). */
const operationsOf = (service: string) => httpOperations.filter((op) => op.service === service).map((op) => `${op.method} ${op.path}`);

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

describe('the gateway’s own operations', () => {
  it('lists as the gateway’s own exactly the operations it answers itself', () => {
    // The gateway has no router of operations to list: its one answer of its own is the quota middleware's.
    expect(operationsOf('gateway')).toEqual([`get ${USAGE_PATH}`]);
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
