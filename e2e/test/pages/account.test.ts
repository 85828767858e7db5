import type { Locator, Page } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { SoftwareAuthenticator } from '@solar/chassis/testing';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';

// The account page's own journeys (issue 17) on the whole stack, in Debian's Chromium: name and
// language, devices, password, security activity, deletion and its cancellation, each with and
// without JavaScript, and every new state screenshotted and checked with axe.

jest.setTimeout(180_000);

const stack = new TestStack('web-account');
const pages = new PageHarness(stack);
const PASSWORD = 'a long and proper password';
const NEW_PASSWORD = 'another long and proper password';
// Another device than the test's Chromium, so the session list tells the two apart.
const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

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

/** An account made through the API, its address confirmed from the email. */
async function confirmedAccount(label: string): Promise<string> {
  const email = pages.address(label);
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  const token = new URL(await pages.emailedLink(email, '/verify-email')).searchParams.get('token');
  await expectJson(await call('/auth/verify-email', { body: { token } }), 200);
  return email;
}

const sessionRow = (page: Page, device: string): Locator => page.locator('#sessions li').filter({ hasText: device });
const statusText = (page: Page) => page.getByRole('status').textContent();

/** The date as the English page writes it (locale.ts's formatDate). */
const englishDate = (iso: string) =>
  `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(new Date(iso))} UTC`;

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the account page %s', (_label, javaScriptEnabled) => {
  it('requests deletion with the password, shows the date, and keeps the account: the email says so', async () => {
    const email = await confirmedAccount('deletion');
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, email, PASSWORD);
      await page.getByRole('link', { name: 'Delete your account' }).click();
      await page.waitForURL(`${gatewayUrl}/account/delete`);
      await page.getByLabel('Password').fill('not the password');
      await submit(page, 'Delete my account');
      await expect(page.locator('#field-password-error').textContent()).resolves.toBe('This is not your password.');
      await expect(page.getByLabel('Password').getAttribute('aria-invalid')).resolves.toBe('true');

      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Delete my account');
      expect(page.url()).toBe(`${gatewayUrl}/account?done=deletion-requested`);
      const tokens = await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
      const profile = await expectJson<{ deletion: { purgeAt: string } }>(await call('/users/me', { token: tokens.access_token }), 200);
      const date = englishDate(profile.deletion.purgeAt);
      await expect(page.getByRole('alert').textContent()).resolves.toBe(`Your account will be deleted on ${date}.`);
      await expect(statusText(page)).resolves.toBe(`We emailed you about it. Until ${date} you can keep your account.`);
      await expect(page.getByRole('link', { name: 'Delete your account' }).count()).resolves.toBe(0);

      await submit(page, 'Keep my account');
      expect(page.url()).toBe(`${gatewayUrl}/account?done=deletion-cancelled`);
      await expect(statusText(page)).resolves.toBe('Your account will not be deleted.');
      await expect(page.getByRole('alert').count()).resolves.toBe(0);
      const cancelled = await pages.email(email, /will not be deleted/);
      expect(cancelled.Text).toContain('The deletion of your');
      expect(cancelled.Text).toContain('is cancelled');
    } finally {
      await context.close();
    }
  });

  it('changes the password: a weak one is refused, then the other device is signed out and the new one signs in', async () => {
    const email = await confirmedAccount('password');
    const other = await pages.newPage({ javaScriptEnabled, userAgent: IPHONE });
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(other.page, email, PASSWORD);
      expect(other.page.url()).toBe(`${gatewayUrl}/account`);
      await pages.signIn(page, email, PASSWORD);
      await expect(sessionRow(page, 'Safari on iOS').count()).resolves.toBe(1);

      await page.getByRole('link', { name: 'Change your password' }).click();
      await page.waitForURL(`${gatewayUrl}/account/password`);
      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByLabel('New password').fill('short');
      await submit(page, 'Change password');
      await expect(page.locator('#field-newPassword-error').textContent()).resolves.toBe('Must be at least 8 characters.');
      await expect(page.getByLabel('New password').getAttribute('aria-invalid')).resolves.toBe('true');
      await expect(page.locator('#error-summary a').textContent()).resolves.toBe('Must be at least 8 characters.');

      await page.getByLabel('Current password').fill('not the password');
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await submit(page, 'Change password');
      await expect(page.locator('#field-currentPassword-error').textContent()).resolves.toBe('This is not your current password.');

      await page.getByLabel('Current password').fill(PASSWORD);
      await page.getByLabel('New password').fill(NEW_PASSWORD);
      await submit(page, 'Change password');
      expect(page.url()).toBe(`${gatewayUrl}/account?done=password-changed`);
      await expect(statusText(page)).resolves.toBe('Your password is changed, and every other device was signed out.');
      await expect(sessionRow(page, 'Safari on iOS').count()).resolves.toBe(0);

      // The security activity, in words: the sign-ins, the refused attempt and the change.
      const activity = page.locator('#activity li');
      await expect(activity.first().locator('.entry-title').textContent()).resolves.toBe('Password changed: done');
      const titles = await page.locator('#activity .entry-title').allTextContents();
      expect(titles).toContain('Sign-in: done');
      await page.getByRole('link', { name: 'See all security activity' }).click();
      await page.waitForURL(`${gatewayUrl}/account/activity`);
      const all = await page.locator('#activity .entry-title').allTextContents();
      expect(all[0]).toBe('Password changed: done');
      expect(all.filter((title) => title === 'Sign-in: done').length).toBeGreaterThanOrEqual(2);
      expect(all.at(-1)).toBe('Sign-up with your address: done');
      await expect(page.locator('#activity .entry-meta').first().textContent()).resolves.toMatch(/ · Chrome on Linux · IP /);

      await other.page.goto(`${gatewayUrl}/account`);
      expect(other.page.url()).toBe(`${gatewayUrl}/login?done=session-ended`);

      await submit(page, 'Sign out');
      await pages.signIn(page, email, PASSWORD);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('The email address or the password is not right.');
      await pages.signIn(page, email, NEW_PASSWORD);
      expect(page.url()).toBe(`${gatewayUrl}/account`);
    } finally {
      await context.close();
      await other.context.close();
    }
  });

  it('ends another device’s session from the list: that browser is signed out on its next page', async () => {
    const email = await confirmedAccount('revoke');
    const other = await pages.newPage({ javaScriptEnabled, userAgent: IPHONE });
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(other.page, email, PASSWORD);
      await pages.signIn(page, email, PASSWORD);
      const current = page.locator('#sessions li').filter({ hasText: 'This device' });
      await expect(current.textContent()).resolves.toContain('Chrome on Linux');
      await expect(current.getByRole('button').count()).resolves.toBe(0);

      await Promise.all([
        page.waitForNavigation(),
        sessionRow(page, 'Safari on iOS')
          .getByRole('button', { name: /^End session/ })
          .click(),
      ]);
      expect(page.url()).toBe(`${gatewayUrl}/account?done=session-revoked`);
      await expect(statusText(page)).resolves.toBe('That device is signed out.');
      await expect(sessionRow(page, 'Safari on iOS').count()).resolves.toBe(0);
      await expect(page.getByText('No other device is signed in.').count()).resolves.toBe(1);

      await other.page.goto(`${gatewayUrl}/account`);
      expect(other.page.url()).toBe(`${gatewayUrl}/login?done=session-ended`);
      // This browser stays signed in.
      await page.goto(`${gatewayUrl}/account`);
      expect(page.url()).toBe(`${gatewayUrl}/account`);
    } finally {
      await context.close();
      await other.context.close();
    }
  });

  it('lists a passkey with its last use, and removes it with the password', async () => {
    const email = await confirmedAccount(`passkey-${javaScriptEnabled ? 'js' : 'nojs'}`);
    const { access_token } = await expectJson<{ access_token: string }>(
      await call('/auth/login', { body: { email, password: PASSWORD } }),
      200,
    );
    const { options } = await expectJson<{ options: { challenge: string } }>(
      await call('/auth/passkeys/registration/options', { body: { password: PASSWORD }, token: access_token }),
      200,
    );
    const credential = new SoftwareAuthenticator('app.solar.test', 'https://app.solar.test').register(options);
    await expectJson(
      await call('/auth/passkeys/registration/verify', { body: { name: 'Work laptop', credential }, token: access_token }),
      201,
    );

    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, email, PASSWORD);
      const row = page.locator('#passkeys li').filter({ hasText: 'Work laptop' });
      await expect(row.textContent()).resolves.toContain('last used never');
      await row.getByLabel('Your password, to remove it').fill('not the password');
      await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Remove passkey: Work laptop' }).click()]);
      expect(page.url()).toBe(`${gatewayUrl}/account/passkeys/remove`);
      await page.goto(`${gatewayUrl}/account`);
      await row.getByLabel('Your password, to remove it').fill(PASSWORD);
      await Promise.all([page.waitForNavigation(), row.getByRole('button', { name: 'Remove passkey: Work laptop' }).click()]);
      expect(page.url()).toBe(`${gatewayUrl}/account?done=passkey-removed`);
      await expect(statusText(page)).resolves.toBe('The passkey is removed; it no longer signs in.');
      await expect(page.getByText('No passkey yet.').count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });

  it('changes the display name and the language to German: the pages and the next email are German', async () => {
    const email = await confirmedAccount('profile');
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await pages.signIn(page, email, PASSWORD);
      await expect(page.locator('#display-name').textContent()).resolves.toBe('Not set');
      await page.getByRole('link', { name: 'Change name or language' }).click();
      await page.waitForURL(`${gatewayUrl}/account/profile`);
      await page.getByLabel('Display name').fill('x'.repeat(101));
      await submit(page, 'Save');
      await expect(page.locator('#field-displayName-error').textContent()).resolves.toBe('Must be at most 100 characters.');

      await page.getByLabel('Display name').fill('Ada Lovelace');
      await page.getByLabel('Language').selectOption('de');
      await submit(page, 'Save');
      expect(page.url()).toBe(`${gatewayUrl}/account?done=profile-saved`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
      await expect(h1(page)).resolves.toBe('Ihr Konto');
      await expect(statusText(page)).resolves.toBe('Ihre Änderungen sind gespeichert.');
      await expect(page.locator('#display-name').textContent()).resolves.toBe('Ada Lovelace');
      await expect(page.locator('#account-language').textContent()).resolves.toBe('Deutsch');
      const titles = await page.locator('#activity .entry-title').allTextContents();
      expect(titles.slice(0, 2)).toEqual(['Name oder Sprache geändert: erledigt', 'Name oder Sprache geändert: erledigt']);
      // The browser keeps the account's language on the next page too.
      await page.goto(`${gatewayUrl}/account/password`);
      await expect(h1(page)).resolves.toBe('Passwort ändern');

      await expectJson(await call('/auth/request-password-reset', { body: { email } }), 202);
      await expect(pages.email(email, /^Setzen Sie Ihr Passwort/).then((message) => message.Subject)).resolves.toMatch(/zurück$/);
    } finally {
      await context.close();
    }
  });
});

describe('the account page’s new states, at 375 and 1280 px, light and dark', () => {
  it.each(['light', 'dark'] as const)('%s: screenshots, and axe finds no serious or critical violation', async (colorScheme) => {
    const email = await confirmedAccount('screens');
    const other = await pages.newPage({ userAgent: IPHONE });
    const { context, page } = await pages.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const capture = (name: string) => pages.capture(page, name, colorScheme, problems);
    try {
      await pages.signIn(other.page, email, PASSWORD);
      await pages.signIn(page, email, PASSWORD);
      await capture('account-sessions');

      await page.goto(`${gatewayUrl}/account/profile`);
      await capture('account-profile');
      await page.getByLabel('Display name').fill('x'.repeat(101));
      await submit(page, 'Save');
      await capture('account-profile-error');
      await page.getByLabel('Display name').fill('Ada Lovelace');
      await submit(page, 'Save');
      await capture('account-profile-saved');

      await page.goto(`${gatewayUrl}/account/password`);
      await capture('account-password');
      await page.getByLabel('Current password').fill('not the password');
      await page.getByLabel('New password').fill('short');
      await submit(page, 'Change password');
      await capture('account-password-error');

      await page.goto(`${gatewayUrl}/account/activity`);
      await capture('account-activity');

      await page.goto(`${gatewayUrl}/account/delete`);
      await capture('account-delete');
      await submit(page, 'Delete my account');
      await capture('account-delete-error');
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Delete my account');
      await capture('account-deletion-pending');

      await page.goto(`${gatewayUrl}/account?lang=de`);
      await capture('account-de');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await other.context.close();
    }
  });
});
