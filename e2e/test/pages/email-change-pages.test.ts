import type { Browser } from 'playwright-core';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';

// Issue 20's email change on the pages, in Debian's Chromium, with and without JavaScript: the form
// on the account page, the link to the new address, the undo link to the old one; axe on each state.

jest.setTimeout(180_000);

const stack = new TestStack('web-email-change');
const pages = new PageHarness(stack);
const PASSWORD = 'a long and proper password';

let gatewayUrl: string;
let browser: Browser;
const call = apiClient(stack, () => gatewayUrl);

beforeAll(async () => {
  await stack.startIdentity();
  await stack.startNotification();
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

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the email change pages %s', (_label, javaScriptEnabled) => {
  it('asks from the account page, confirms from the new address, and undoes from the old one', async () => {
    const email = pages.address('change');
    const newEmail = pages.address('change-new');
    await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    const problems: string[] = [];
    // axe needs script: the pages are the same either way, so the run with JavaScript checks them.
    const capture = async (name: string) => {
      if (javaScriptEnabled) await pages.capture(page, name, 'light', problems);
    };
    try {
      await pages.signIn(page, email, PASSWORD);
      await page.getByRole('link', { name: 'Change your email address' }).click();
      await page.waitForURL(`${gatewayUrl}/account/email`);
      await capture('email-change');
      await page.getByLabel('New email address').fill(newEmail);
      await page.getByLabel('Current password').fill('not the password');
      await submit(page, 'Send the link');
      await expect(page.locator('#field-password-error').textContent()).resolves.toBe('This is not your current password.');
      await capture('email-change-error');
      await page.getByLabel('Current password').fill(PASSWORD);
      await submit(page, 'Send the link');
      expect(page.url()).toBe(`${gatewayUrl}/account?done=email-change-requested`);

      await page.goto(await pages.emailedLink(newEmail, '/confirm-email-change'));
      expect(page.url()).toBe(`${gatewayUrl}/confirm-email-change`);
      await capture('email-change-confirm');
      await submit(page, 'Use this address');
      await expect(h1(page)).resolves.toBe('Your email address is changed');
      await capture('email-change-confirmed');

      await page.goto(await pages.emailedLink(email, '/undo-email-change'));
      await capture('email-change-undo');
      await submit(page, 'Restore my address');
      expect(page.url()).toBe(`${gatewayUrl}/login?done=email-restored`);
      await expect(page.getByRole('status').textContent()).resolves.toContain('Every device was signed out.');
      await capture('email-change-undone');
      await page.goto(`${gatewayUrl}/account`);
      expect(page.url()).toMatch(/\/login/);
      await pages.emailedLink(email, '/reset-password');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
