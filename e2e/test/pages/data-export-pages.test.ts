import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { strFromU8, unzipSync } from 'fflate';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';

// The data export on the pages, in Debian's Chromium: asked for from the account page, the emailed
// link's page that hands over the zip once, and the same page refusing the spent link; axe on each.

jest.setTimeout(180_000);

const stack = new TestStack('web-data-export');
const pages = new PageHarness(stack);
const PASSWORD = 'a long and proper password';

let gatewayUrl: string;
let browser: Browser;
const call = apiClient(stack, () => gatewayUrl);

beforeAll(async () => {
  await stack.startIdentity({ DATA_EXPORT_PARTICIPANTS: 'identity,notification,lifecycle' });
  await stack.startNotification();
  await stack.startLifecycle();
  const webUrl = await stack.reserveWebUrl();
  gatewayUrl = (await stack.startGateway({ WEB_URL: webUrl })).url;
  await stack.startWeb();
  browser = await launchChromium();
  pages.ready(gatewayUrl, browser);
});

afterAll(async () => {
  await browser?.close();
  await stack.stop();
});

it('asks for a copy from the account page and downloads it once from the emailed link', async () => {
  const email = pages.address('export');
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  const { context, page } = await pages.newPage();
  const problems: string[] = [];
  try {
    await pages.signIn(page, email, PASSWORD);
    await page.goto(`${gatewayUrl}/account`);
    const section = page.getByRole('region', { name: 'Download a copy of your data' });
    await section.getByLabel('Current password').fill('not the password');
    await submit(page, 'Ask for a copy');
    expect(page.url()).toBe(`${gatewayUrl}/account/data-export`);
    await expect(page.locator('#field-password-error').textContent()).resolves.toBe('This is not your current password.');
    await pages.capture(page, 'data-export-error', 'light', problems);

    await page.getByLabel('Current password').fill(PASSWORD);
    await submit(page, 'Ask for a copy');
    expect(page.url()).toBe(`${gatewayUrl}/account?done=data-export-requested`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('will email you a link');
    await pages.capture(page, 'data-export-account', 'light', problems);

    // Once a day: the second request's problem is a sentence on the form's page.
    await section.getByLabel('Current password').fill(PASSWORD);
    await submit(page, 'Ask for a copy');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('You already asked for a copy of your data today.');

    const link = await pages.emailedLink(email, '/data-export');
    await page.goto(link);
    // The token left the address before the page showed.
    expect(page.url()).toBe(`${gatewayUrl}/data-export`);
    await expect(h1(page)).resolves.toBe('Download your data');
    await pages.capture(page, 'data-export-download', 'light', problems);
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
    await pages.capture(page, 'data-export-used', 'light', problems);
    expect(problems).toEqual([]);
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
