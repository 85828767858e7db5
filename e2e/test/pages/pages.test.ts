import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { capturingLogger } from '@solar/chassis/testing';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';
import { TotpClock } from './totp-clock';

// The account pages on the whole stack, in Debian's Chromium: every emailed link is opened from the
// real email in Mailpit, as a person would, with the origin of the gateway the test started (identity's
// APP_URL is the test stack's; path and query are the email's own).

jest.setTimeout(180_000);

const stack = new TestStack('web-pages');
const pages = new PageHarness(stack);
const { mailpit, linkTokens } = pages;
const PASSWORD = 'a long and proper password';
const webLogs: string[] = [];

// Identity's and web's time, moved by the tests.
const time = new TotpClock();

let gatewayUrl: string;
let browser: Browser;
const call = apiClient(stack, () => gatewayUrl);
const address = (label: string) => pages.address(label);
const emailedLink = (to: string, linkPath: string, seenIds?: Set<string>) => pages.emailedLink(to, linkPath, seenIds);
const newPage = pages.newPage.bind(pages);
const signIn = (page: Page, email: string, password: string) => pages.signIn(page, email, password);

beforeAll(async () => {
  await stack.startIdentity({}, { clock: time.now });
  await stack.startNotification();
  const webUrl = await stack.reserveWebUrl();
  gatewayUrl = (await stack.startGateway({ WEB_URL: webUrl })).url;
  // Web shares identity's clock, so moving it past an access token's life makes web refresh.
  await stack.startWeb({}, { logger: capturingLogger('web', webLogs), clock: time.now });
  browser = await launchChromium();
  pages.ready(gatewayUrl, browser);
});

afterAll(async () => {
  await browser?.close();
  await stack.stop();
});

/** Signs up on the page and confirms the address from the email; returns the address. */
async function signUpAndConfirm(page: Page, urls: string[]): Promise<string> {
  const email = address('sign-up');
  await page.goto(`${gatewayUrl}/register`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Create account');
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Check your email');

  const link = await emailedLink(email, '/verify-email');
  const before = urls.length;
  await page.goto(link);
  // The token left the address bar before the page loaded anything: the first request alone had it.
  expect(page.url()).toBe(`${gatewayUrl}/verify-email`);
  expect(urls.slice(before + 1).filter((url) => url.includes('token'))).toEqual([]);
  await submit(page, 'Confirm my address');
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your address is confirmed');
  return email;
}

/** An account made through the API, its address confirmed from the email, with two-factor on. */
async function accountWithTwoFactor(): Promise<{ email: string; secret: string; recoveryCodes: string[] }> {
  const email = address('two-factor');
  await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
  const token = new URL(await emailedLink(email, '/verify-email')).searchParams.get('token');
  await expectJson(await call('/auth/verify-email', { body: { token } }), 200);
  const tokens = await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
  const { secret } = await expectJson<{ secret: string }>(
    await call('/auth/2fa/enable', { token: tokens.access_token, body: { password: PASSWORD } }),
    200,
  );
  const { recoveryCodes } = await expectJson<{ recoveryCodes: string[] }>(
    await call('/auth/2fa/verify', { token: tokens.access_token, body: { password: PASSWORD, code: await time.codeAt(secret) } }),
    200,
  );
  time.nextStep();
  return { email, secret, recoveryCodes };
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('the journeys %s', (_label, javaScriptEnabled) => {
  it('sign up, confirm from the email, sign in: the account page shows the address confirmed', async () => {
    const { context, page, urls } = await newPage({ javaScriptEnabled });
    try {
      const email = await signUpAndConfirm(page, urls);
      await page.getByRole('link', { name: 'Sign in' }).click();
      await page.waitForURL(`${gatewayUrl}/login`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Sign in');
      expect(page.url()).toBe(`${gatewayUrl}/account`);
      await expect(page.locator('dd').filter({ hasText: email }).count()).resolves.toBe(1);
      await expect(page.locator('#email-status').textContent()).resolves.toBe('Confirmed');

      // The same link a second time has its own message and the next step.
      const used = await emailedLink(email, '/verify-email');
      await page.goto(used);
      await submit(page, 'Confirm my address');
      await expect(h1(page)).resolves.toBe('This link was already used');

      await submit(page, 'Sign out');
      expect(page.url()).toBe(`${gatewayUrl}/login?done=signed-out`);
      await page.goto(`${gatewayUrl}/account`);
      expect(page.url()).toBe(`${gatewayUrl}/login`);
    } finally {
      await context.close();
    }
  });

  it('forgot password: a weak new password gets the policy message, a good one signs in', async () => {
    const { context, page } = await newPage({ javaScriptEnabled });
    try {
      const email = address('reset');
      await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
      await page.goto(`${gatewayUrl}/login`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await page.getByLabel('Email address').fill(email);
      await submit(page, 'Send link');
      await expect(h1(page)).resolves.toBe('Check your email');

      await page.goto(await emailedLink(email, '/reset-password'));
      expect(page.url()).toBe(`${gatewayUrl}/reset-password`);
      await page.getByLabel('New password').fill('short');
      await submit(page, 'Set new password');
      await expect(page.locator('#field-newPassword-error').textContent()).resolves.toBe('Must be at least 8 characters.');
      await expect(page.getByLabel('New password').getAttribute('aria-invalid')).resolves.toBe('true');

      const newPassword = 'another long and proper password';
      await page.getByLabel('New password').fill(newPassword);
      await submit(page, 'Set new password');
      expect(page.url()).toBe(`${gatewayUrl}/login?done=password-changed`);
      await signIn(page, email, PASSWORD);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('The email address or the password is not right.');
      await signIn(page, email, newPassword);
      expect(page.url()).toBe(`${gatewayUrl}/account`);
    } finally {
      await context.close();
    }
  });

  it('two-factor sign-in with a TOTP code, then a recovery code; a reused one is refused', async () => {
    const { email, secret, recoveryCodes } = await accountWithTwoFactor();
    const { context, page } = await newPage({ javaScriptEnabled });
    try {
      await signIn(page, email, PASSWORD);
      expect(page.url()).toBe(`${gatewayUrl}/login/two-factor`);
      const code = await time.codeAt(secret);
      await page.getByLabel('Code from your app').fill(code);
      await submit(page, 'Verify');
      expect(page.url()).toBe(`${gatewayUrl}/account`);
      await submit(page, 'Sign out');

      // The same code again, in the same time step: refused, and said so.
      await signIn(page, email, PASSWORD);
      await page.getByLabel('Code from your app').fill(code);
      await submit(page, 'Verify');
      await expect(page.getByRole('alert').first().textContent()).resolves.toContain('That code is not right, or it was already used.');

      await page.getByRole('link', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
      await submit(page, 'Verify');
      expect(page.url()).toBe(`${gatewayUrl}/account`);
      await submit(page, 'Sign out');

      await signIn(page, email, PASSWORD);
      await page.getByRole('link', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
      await submit(page, 'Verify');
      await expect(page.getByRole('alert').first().textContent()).resolves.toContain('That code is not right, or it was already used.');
      expect(page.url()).toBe(`${gatewayUrl}/login/two-factor`);
    } finally {
      await context.close();
    }
  });
});

describe('emailed links', () => {
  it('an expired link has its own message and the next step', async () => {
    const { context, page } = await newPage();
    try {
      const email = address('expired');
      await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
      await expectJson(await call('/auth/request-password-reset', { body: { email } }), 202);
      const link = await emailedLink(email, '/reset-password');
      // PASSWORD_RESET_TTL is an hour: identity's clock moves past it.
      time.advance(2 * 3600_000);
      await page.goto(link);
      await page.getByLabel('New password').fill('another long and proper password');
      await submit(page, 'Set new password');
      await expect(h1(page)).resolves.toBe('This link has expired');
      await expect(page.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).resolves.toBe('/forgot-password');
    } finally {
      await context.close();
    }
  });

  it('the two-factor reset link confirms the reset and says when it takes effect', async () => {
    const { email } = await accountWithTwoFactor();
    const { context, page } = await newPage();
    try {
      await signIn(page, email, PASSWORD);
      await submit(page, 'Email me a link');
      await expect(h1(page)).resolves.toBe('Check your email');
      await page.goto(await emailedLink(email, '/two-factor-reset'));
      expect(page.url()).toBe(`${gatewayUrl}/two-factor-reset`);
      await submit(page, 'Confirm');
      await expect(h1(page)).resolves.toBe('Two-step verification will turn off');
    } finally {
      await context.close();
    }
  });

  it('an unconfirmed account asks for a new link from its page, and it arrives', async () => {
    const { context, page } = await newPage();
    try {
      const email = address('resend');
      await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
      const seen = new Set<string>();
      await emailedLink(email, '/verify-email', seen);
      await signIn(page, email, PASSWORD);
      await expect(page.locator('#email-status').textContent()).resolves.toBe('Not confirmed yet');
      await submit(page, 'Send a new link');
      await expect(page.getByRole('status').textContent()).resolves.toBe(`A new link is on its way to ${email}.`);
      await page.goto(await emailedLink(email, '/verify-email', seen));
      await submit(page, 'Confirm my address');
      await page.goto(`${gatewayUrl}/account`);
      await expect(page.locator('#email-status').textContent()).resolves.toBe('Confirmed');
    } finally {
      await context.close();
    }
  });

  it('no token of a link appears in the web service’s log lines', () => {
    expect(linkTokens.length).toBeGreaterThan(3);
    expect(webLogs.length).toBeGreaterThan(0);
    const logs = webLogs.join('\n');
    for (const token of linkTokens) expect(logs).not.toContain(token);
  });
});

describe('sessions', () => {
  it('survives requests that refresh at once with the same cookie', async () => {
    const { context, page } = await newPage();
    try {
      const email = address('refresh');
      await expectJson(await call('/auth/register', { body: { email, password: PASSWORD } }), 201);
      await page.goto(`${gatewayUrl}/login`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Sign in');
      expect(page.url()).toBe(`${gatewayUrl}/account`);
      // Past the access token's 15 minutes: each of these requests has to refresh, with one token.
      time.advance(16 * 60_000);
      const loads = await Promise.all([1, 2, 3].map(() => context.request.get(`${gatewayUrl}/account`, { maxRedirects: 0 })));
      expect(loads.map((load) => load.status())).toEqual([200, 200, 200]);
      // A second use of a rotated refresh token would have ended the session at identity.
      await page.goto(`${gatewayUrl}/account`);
      expect(page.url()).toBe(`${gatewayUrl}/account`);
    } finally {
      await context.close();
    }
  });
});

describe('languages', () => {
  it('a German browser gets German pages, and the language link switches', async () => {
    const { context, page } = await newPage({ locale: 'de-DE' });
    try {
      await page.goto(`${gatewayUrl}/login`);
      await expect(page.locator('html').getAttribute('lang')).resolves.toBe('de');
      await expect(h1(page)).resolves.toBe('Anmelden');
      await page.goto(`${gatewayUrl}/register`);
      await expect(h1(page)).resolves.toBe('Konto erstellen');
      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForURL(`${gatewayUrl}/register`);
      await expect(h1(page)).resolves.toBe('Create your account');
    } finally {
      await context.close();
    }
  });

  it('signing up from a German page gets German emails', async () => {
    const { context, page } = await newPage({ locale: 'de-DE' });
    try {
      const email = address('german');
      await page.goto(`${gatewayUrl}/register`);
      await page.getByLabel('E-Mail-Adresse').fill(email);
      await page.getByLabel('Passwort').fill(PASSWORD);
      await submit(page, 'Konto erstellen');
      await emailedLink(email, '/verify-email');
      const [summary] = await mailpit.search(`to:"${email}"`);
      await expect(mailpit.message(summary!.ID).then((m) => m.Subject)).resolves.toMatch(/^Bestätigen Sie Ihre E-Mail-Adresse/);
    } finally {
      await context.close();
    }
  });
});

describe('forms from elsewhere', () => {
  let evil: Server;
  let evilUrl: string;

  beforeAll(async () => {
    evil = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html lang="en"><title>Win a prize</title>
        <form method="post" action="${gatewayUrl}/login/two-factor/reset"><button>Claim</button></form></html>`);
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    // Another site to the browser: localhost is not 127.0.0.1's site.
    evilUrl = `http://localhost:${(evil.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await new Promise((resolve) => evil.close(resolve));
  });

  it('a cross-site form post is refused', async () => {
    const { context, page } = await newPage();
    try {
      await page.goto(`${gatewayUrl}/login`);
      await page.goto(evilUrl);
      const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Claim' }).click()]);
      expect(response?.status()).toBe(403);
      await expect(h1(page)).resolves.toBe('This form has expired');
    } finally {
      await context.close();
    }
  });

  it('a post without the form token, or with a foreign Origin, is refused', async () => {
    const first = await fetch(`${gatewayUrl}/login`);
    const cookie = first.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await first.text())?.[1];
    expect(csrf).toBeDefined();
    const post = (origin: string, body: string) =>
      fetch(`${gatewayUrl}/login`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, origin, 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
    const form = `email=${encodeURIComponent(address('csrf'))}&password=x`;
    expect((await post(gatewayUrl, form)).status).toBe(403);
    expect((await post('https://evil.example', `${form}&_csrf=${csrf}`)).status).toBe(403);
    expect((await post(gatewayUrl, `${form}&_csrf=wrong${csrf}`)).status).toBe(403);
    // The same post with the token and our Origin reaches the API (wrong password: 401).
    expect((await post(gatewayUrl, `${form}&_csrf=${csrf}`)).status).toBe(401);
  });

  it('every page carries the security headers', async () => {
    const answer = await fetch(`${gatewayUrl}/login`);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(answer.headers.get('referrer-policy')).toBe('no-referrer');
    expect(answer.headers.get('cache-control')).toBe('no-store');
    expect(answer.headers.getSetCookie().join()).toMatch(
      /solar_session=[^;]+; Max-Age=\d+; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax/,
    );
  });
});

describe('every page, at 375 and 1280 px, light and dark', () => {
  it.each(['light', 'dark'] as const)('%s: screenshots, and axe finds no serious or critical violation', async (colorScheme) => {
    const twoFactor = await accountWithTwoFactor();
    const plain = address('screens');
    await expectJson(await call('/auth/register', { body: { email: plain, password: PASSWORD } }), 201);
    const { context, page } = await newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    const capture = (name: string) => pages.capture(page, name, colorScheme, problems);
    try {
      for (const [name, pagePath] of [
        ['sign-in', '/login'],
        ['sign-up', '/register'],
        ['forgot-password', '/forgot-password'],
        ['verify-email', '/verify-email'],
        ['reset-password', '/reset-password'],
        ['two-factor-reset', '/two-factor-reset'],
        ['not-found', '/no-such-page'],
      ] as const) {
        await page.goto(`${gatewayUrl}${pagePath}`);
        await capture(name);
      }
      await page.goto(`${gatewayUrl}/verify-email`);
      await submit(page, 'Confirm my address');
      await capture('link-missing');

      await signIn(page, plain, 'not the password');
      await capture('sign-in-error');
      await page.goto(`${gatewayUrl}/register`);
      await page.getByLabel('Email address').fill(address('weak'));
      await page.getByLabel('Password').fill('short');
      await submit(page, 'Create account');
      await capture('sign-up-error');

      await signIn(page, twoFactor.email, PASSWORD);
      await capture('two-factor');
      await page.goto(`${gatewayUrl}/login/two-factor?method=recovery`);
      await capture('two-factor-recovery');
      await page.goto(`${gatewayUrl}/login`);
      await signIn(page, plain, PASSWORD);
      await capture('account');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
