import type { Browser } from 'playwright-core';
import { PwnedRangeServer } from '@solar/chassis/testing';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { PageHarness, submit } from './page-harness';

// Breached passwords on the pages (issue 20), against a local server speaking the Pwned Passwords
// range API: refused at sign-up with a sentence saying why, and a sign-in with one goes through and
// asks for a new one, on the account page and by email (through Mailpit), until it is changed.

jest.setTimeout(180_000);

const stack = new TestStack('web-breached');
const pages = new PageHarness(stack);
const range = new PwnedRangeServer();
const BREACHED = 'correct horse battery staple';
const NEW_PASSWORD = 'another long and proper password';

let gatewayUrl: string;
let browser: Browser;
const call = apiClient(stack, () => gatewayUrl);

beforeAll(async () => {
  range.add(BREACHED, 3_861_493);
  await stack.startIdentity({ PWNED_PASSWORDS_URL: await range.start() });
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
  await range.stop();
});

it('refuses a breached password at sign-up, saying why on the field', async () => {
  const { context, page } = await pages.newPage();
  const problems: string[] = [];
  try {
    await page.goto(`${gatewayUrl}/register`);
    await page.getByLabel('Email address').fill(pages.address('sign-up'));
    await page.getByLabel('Password').fill(BREACHED);
    await submit(page, 'Create account');
    await expect(page.locator('#field-password-error').textContent()).resolves.toContain('appeared in a data breach');
    await expect(page.getByLabel('Password').getAttribute('aria-invalid')).resolves.toBe('true');
    await pages.capture(page, 'sign-up-breached', 'light', problems);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});

it('signs in with a breached password, asks for a new one on the page and by email, until it is changed', async () => {
  const email = pages.address('sign-in');
  // Registered while the service could not answer: the sign-up went on without it.
  range.mode = 'fail';
  await expectJson(await call('/auth/register', { body: { email, password: BREACHED } }), 201);
  range.mode = 'answer';

  const { context, page } = await pages.newPage();
  const problems: string[] = [];
  try {
    await pages.signIn(page, email, BREACHED);
    await page.waitForURL(`${gatewayUrl}/account`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Your password has appeared in a data breach');
    await pages.capture(page, 'account-password-breached', 'light', problems);
    const mail = await pages.email(email, /choose a new password/);
    expect(mail.Text).toContain('appeared in a data breach');

    await page.getByRole('link', { name: 'Choose a new password' }).click();
    await page.getByLabel('Current password').fill(BREACHED);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await submit(page, 'Change password');
    expect(page.url()).toBe(`${gatewayUrl}/account?done=password-changed`);
    await expect(page.locator('#breached-password-change').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
  } finally {
    await context.close();
  }
});
