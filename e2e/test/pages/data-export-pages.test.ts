import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { capturingLogger } from '@solar/chassis/testing';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';
import { TotpClock } from './totp-clock';

// The data export on the pages, in Debian's Chromium, with and without JavaScript: asked for from the
// account page, the emailed link's page that hands over the zip once, and the same page refusing the
// spent link; axe on each; the code field for an account with two-factor on.

jest.setTimeout(180_000);

const stack = new TestStack('web-data-export');
const pages = new PageHarness(stack);
const PASSWORD = 'a long and proper password';
const time = new TotpClock();
const webLogs: string[] = [];

let gatewayUrl: string;
let browser: Browser;
const call = apiClient(stack, () => gatewayUrl);

beforeAll(async () => {
  await stack.startIdentity({ DATA_EXPORT_PARTICIPANTS: 'identity,notification,lifecycle' }, { clock: time.now });
  await stack.startNotification();
  await stack.startLifecycle();
  const webUrl = await stack.reserveWebUrl();
  gatewayUrl = (await stack.startGateway({ WEB_URL: webUrl })).url;
  await stack.startWeb({}, { logger: capturingLogger('web', webLogs), clock: time.now });
  browser = await launchChromium();
  pages.ready(gatewayUrl, browser);
});

afterAll(async () => {
  await browser?.close();
  await stack.stop();
});

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the data export pages %s', (_label, javaScriptEnabled) => {
  it('asks for a copy from the account page and downloads it once from the emailed link', async () => {
    const email = pages.address('export');
    await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    const problems: string[] = [];
    // axe needs script: the pages are the same either way, so the run with JavaScript checks them.
    const capture = async (name: string) => {
      if (javaScriptEnabled) await pages.capture(page, name, 'light', problems);
    };
    try {
      await pages.signIn(page, email, PASSWORD);
      await page.goto(`${gatewayUrl}/account`);
      const section = page.getByRole('region', { name: 'Download a copy of your data' });
      await section.getByLabel('Current password').fill('not the password');
      await submit(page, 'Ask for a copy');
      expect(page.url()).toBe(`${gatewayUrl}/account/data-export`);
      await expect(page.locator('#field-password-error').textContent()).resolves.toBe('This is not your current password.');
      await capture('data-export-error');

      await page.getByLabel('Current password').fill(PASSWORD);
      await submit(page, 'Ask for a copy');
      expect(page.url()).toBe(`${gatewayUrl}/account?done=data-export-requested`);
      await expect(page.getByRole('status').textContent()).resolves.toContain('will email you a link');
      await capture('data-export-account');

      // Once a day: the second request's problem is a sentence on the form's page.
      await section.getByLabel('Current password').fill(PASSWORD);
      await submit(page, 'Ask for a copy');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('You already asked for a copy of your data today.');

      const link = await pages.emailedLink(email, '/data-export');
      await page.goto(link);
      // The token left the address before the page showed.
      expect(page.url()).toBe(`${gatewayUrl}/data-export`);
      await expect(h1(page)).resolves.toBe('Download your data');
      await capture('data-export-download');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download', exact: true }).click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/^data-export-[0-9a-f-]{36}\.zip$/);
      const files = unzipSync(await readFile(await download.path()));
      expect(Object.keys(files).sort()).toEqual(['README.md', 'identity.json', 'lifecycle.json', 'notification.json']);
      const identity = JSON.parse(strFromU8(files['identity.json']!)) as { data: { account: { email: string } } };
      expect(identity.data.account.email).toBe(email);

      // The link works once.
      await page.goto(link);
      expect(page.url()).toBe(`${gatewayUrl}/data-export`);
      await submit(page, 'Download');
      await expect(h1(page)).resolves.toBe('This link was already used');
      await capture('data-export-used');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

it('asks for a current code when two-factor is on', async () => {
  const email = pages.address('export-2fa');
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  const verify = new URL(await pages.emailedLink(email, '/verify-email')).searchParams.get('token');
  await expectJson(await call('/auth/verify-email', { body: { token: verify } }), 200);
  const { access_token: token } = await expectJson<{ access_token: string }>(
    await call('/auth/login', { body: { email, password: PASSWORD } }),
    200,
  );
  const { secret } = await expectJson<{ secret: string }>(await call('/auth/2fa/enable', { token, body: { password: PASSWORD } }), 200);
  await expectJson(await call('/auth/2fa/verify', { token, body: { password: PASSWORD, code: await time.codeAt(secret) } }), 200);
  const { context, page } = await pages.newPage();
  try {
    time.nextStep();
    await pages.signIn(page, email, PASSWORD);
    await page.getByLabel('Code from your app').fill(await time.codeAt(secret));
    await submit(page, 'Verify');
    const section = page.getByRole('region', { name: 'Download a copy of your data' });
    await section.getByLabel('Current password').fill(PASSWORD);
    await section.getByLabel('Code from your authenticator app').fill('000000');
    await submit(page, 'Ask for a copy');
    await expect(page.locator('#field-code-error').textContent()).resolves.toContain('This code is not correct');
    time.nextStep();
    await page.getByLabel('Current password').fill(PASSWORD);
    await page.getByLabel('Code from your authenticator app').fill(await time.codeAt(secret));
    await submit(page, 'Ask for a copy');
    expect(page.url()).toBe(`${gatewayUrl}/account?done=data-export-requested`);
    await pages.emailedLink(email, '/data-export');
  } finally {
    await context.close();
  }
});

it('speaks German to a German browser', async () => {
  const { context, page } = await pages.newPage({ locale: 'de-DE' });
  try {
    await page.goto(`${gatewayUrl}/data-export`);
    await expect(h1(page)).resolves.toBe('Ihre Daten herunterladen');
  } finally {
    await context.close();
  }
});

it('no token of a link appears in the web service’s log lines', () => {
  expect(pages.linkTokens.length).toBeGreaterThanOrEqual(4);
  const logs = webLogs.join('\n');
  for (const token of pages.linkTokens) expect(logs).not.toContain(token);
});
