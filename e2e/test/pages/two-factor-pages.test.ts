import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { Topics } from '@solar/contracts';
import { ensureTopics } from '@solar/chassis';
import { waitFor } from '@solar/chassis/testing';
import { apiClient, expectJson } from '../support/api-client';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';
import { TotpClock } from './totp-clock';

// The two-factor settings and the waitlist pages on the whole stack, in Debian's Chromium. Identity
// runs invite-only (REGISTRATION_MODE=waitlist); the CAPTCHA provider is a local stand-in: its
// "widget" script (web's CAPTCHA_SCRIPT_URL) puts a token in the form as Turnstile's does, and its
// siteverify (the gateway's CAPTCHA_VERIFY_URL) passes tokens starting with `solved.`. So the page's
// script tag, its per-page CSP and the token's way through web and the gateway are real; the
// provider's own script and challenge are not.

jest.setTimeout(240_000);

const stack = new TestStack('web-two-factor');
const pages = new PageHarness(stack);
const PASSWORD = 'a long and proper password';
const time = new TotpClock();
const ADMIN = `admin.${stack.name}@example.test`.toLowerCase();
/** Verified accounts made while identity still ran open, for the two-factor journeys. */
const accounts: string[] = [];

let standIn: Server;
let standInUrl: string;
let gatewayUrl: string;
let adminToken: string;
let browser: Browser;
const call = apiClient(stack, () => gatewayUrl);
let solved = 0;
const solvedToken = () => `solved.${stack.name}.${++solved}`;
const signIn = (page: Page, email: string) => pages.signIn(page, email, PASSWORD);

const STAND_IN_SCRIPT = `for (const widget of document.querySelectorAll('.cf-turnstile')) {
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = 'cf-turnstile-response';
  input.value = 'solved.' + Math.random().toString(36).slice(2) + Date.now();
  widget.append(input);
  const done = document.createElement('p');
  done.textContent = 'Stand-in check passed';
  widget.append(done);
}`;

beforeAll(async () => {
  standIn = createServer((req, res) => {
    if (req.url?.startsWith('/turnstile/api.js')) {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(STAND_IN_SCRIPT);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const answer = form.get('response')?.startsWith('solved.')
        ? { success: true }
        : { success: false, 'error-codes': ['invalid-input-response'] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => standIn.listen(0, '127.0.0.1', resolve));
  standInUrl = `http://127.0.0.1:${(standIn.address() as AddressInfo).port}`;

  const kafka = new Kafka({ brokers: stack.infra.kafkaBrokers.split(','), logLevel: logLevel.NOTHING });
  await ensureTopics(
    kafka,
    [Topics.identityUser, Topics.identityWaitlist, Topics.notificationEmailRequests].map((topic) => stack.topic(topic)),
  );
  // The documented bootstrap: open, the admin address signs up and verifies; then invite-only.
  await stack.startIdentity({ REGISTRATION_MODE: 'open', ADMIN_EMAILS: ADMIN }, { clock: time.now });
  adminToken = await stack.signUpVerified(ADMIN, PASSWORD);
  for (let i = 0; i < 6; i++) {
    const email = pages.address('two-factor');
    await stack.signUpVerified(email, PASSWORD);
    accounts.push(email);
  }
  await stack.stopService('identity');
  await stack.startIdentity({ REGISTRATION_MODE: 'waitlist', ADMIN_EMAILS: ADMIN }, { clock: time.now });
  await stack.startNotification();
  const webUrl = await stack.reserveWebUrl();
  gatewayUrl = (
    await stack.startGateway({
      WEB_URL: webUrl,
      REDIS_URL: stack.infra.redisUrl,
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: 'siteverify-secret',
      CAPTCHA_VERIFY_URL: `${standInUrl}/siteverify`,
    })
  ).url;
  await stack.startWeb(
    { CAPTCHA_PROVIDER: 'turnstile', CAPTCHA_SITE_KEY: 'stand-in-site-key', CAPTCHA_SCRIPT_URL: `${standInUrl}/turnstile/api.js` },
    { clock: time.now },
  );
  browser = await launchChromium();
  pages.ready(gatewayUrl, browser);
});

afterAll(async () => {
  await browser?.close();
  await stack.stop();
  standIn?.closeAllConnections();
  await new Promise((resolve) => standIn?.close(resolve));
});

/** From the account page through the set-up: returns the secret read off the page and the recovery codes shown. */
async function turnOnTwoFactor(page: Page): Promise<{ secret: string; recoveryCodes: string[] }> {
  await page.goto(`${gatewayUrl}/account`);
  await expect(page.locator('#two-factor-status').textContent()).resolves.toBe('Off');
  await page.getByRole('link', { name: 'Turn on' }).click();
  await page.waitForURL(`${gatewayUrl}/account/two-factor`);
  await page.getByLabel('Password').fill(PASSWORD);
  const setup = await submit(page, 'Start');
  await expect(h1(page)).resolves.toBe('Turn on two-step verification');
  // Only this answer may show a data: image; the QR code loaded under it.
  expect(setup?.headers()['content-security-policy']).toMatch(/img-src 'self' data:/);
  await expect(
    page.locator('img.qr-code').evaluate((img: { complete: boolean; naturalWidth: number }) => img.complete && img.naturalWidth > 0),
  ).resolves.toBe(true);
  const secret = (await page.locator('#two-factor-secret').textContent()) ?? '';
  expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
  await page.getByLabel('Code from your app').fill(await time.codeAt(secret));
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Turn on');
  expect(page.url()).toBe(`${gatewayUrl}/account/two-factor/recovery-codes`);
  const recoveryCodes = ((await page.locator('#recovery-codes').textContent()) ?? '').split('\n');
  expect(recoveryCodes).toHaveLength(10);
  time.nextStep();
  return { secret, recoveryCodes };
}

describe.each([
  ['with JavaScript', true],
  ['without JavaScript', false],
])('two-factor settings %s', (_label, javaScriptEnabled) => {
  it('on from the page, codes shown once, sign-in with a code and a recovery code, a reused code refused, new codes, off', async () => {
    const email = accounts.pop()!;
    const { context, page } = await pages.newPage({ javaScriptEnabled });
    try {
      await signIn(page, email);
      const { secret, recoveryCodes } = await turnOnTwoFactor(page);
      // Shown once: a reload finds them gone from the session.
      await page.reload();
      expect(page.url()).toBe(`${gatewayUrl}/account/two-factor`);
      await expect(page.locator('#recovery-codes').count()).resolves.toBe(0);
      await expect(page.locator('#two-factor-state').textContent()).resolves.toContain('Two-step verification is on');
      await page.goto(`${gatewayUrl}/account`);
      await expect(page.locator('#two-factor-status').textContent()).resolves.toBe('On');

      await submit(page, 'Sign out');
      await signIn(page, email);
      expect(page.url()).toBe(`${gatewayUrl}/login/two-factor`);
      const code = await time.codeAt(secret);
      await page.getByLabel('Code from your app').fill(code);
      await submit(page, 'Verify');
      expect(page.url()).toBe(`${gatewayUrl}/account`);
      await submit(page, 'Sign out');

      await signIn(page, email);
      await page.getByRole('link', { name: 'Use a recovery code instead' }).click();
      await page.getByLabel('Recovery code').fill(recoveryCodes[0]!);
      await submit(page, 'Verify');
      expect(page.url()).toBe(`${gatewayUrl}/account`);

      // The code that signed in, again in its time step: refused beside the field.
      await page.goto(`${gatewayUrl}/account/two-factor`);
      await page.getByRole('link', { name: 'Turn off two-step verification' }).click();
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Code from your app').fill(code);
      await submit(page, 'Turn off');
      await expect(page.locator('#field-code-error').textContent()).resolves.toBe(
        'That code is not right, or it was already used. Check your app or your list of recovery codes and try again.',
      );

      time.nextStep();
      await page.goto(`${gatewayUrl}/account/two-factor/new-recovery-codes`);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Code from your app').fill(await time.codeAt(secret));
      await submit(page, 'Get new codes');
      const fresh = ((await page.locator('#recovery-codes').textContent()) ?? '').split('\n');
      expect(fresh).toHaveLength(10);
      expect(fresh).not.toContain(recoveryCodes[1]);
      await page.getByRole('link', { name: 'I have saved my codes' }).click();
      await page.waitForURL(`${gatewayUrl}/account/two-factor`);
      await expect(page.getByText('Recovery codes left: 10.').count()).resolves.toBe(1);

      time.nextStep();
      await page.getByRole('link', { name: 'Turn off two-step verification' }).click();
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByLabel('Code from your app').fill(await time.codeAt(secret));
      await submit(page, 'Turn off');
      expect(page.url()).toBe(`${gatewayUrl}/account/two-factor?done=turned-off`);
      await expect(page.locator('#two-factor-state').textContent()).resolves.toBe('Two-step verification is off.');
      await submit(page, 'Sign out');
      await signIn(page, email);
      expect(page.url()).toBe(`${gatewayUrl}/account`);
    } finally {
      await context.close();
    }
  });
});

describe('a pending two-factor reset', () => {
  it('shows on the two-factor page with its date, and its button cancels it', async () => {
    const email = accounts.pop()!;
    const { context, page } = await pages.newPage();
    try {
      await signIn(page, email);
      const { secret } = await turnOnTwoFactor(page);
      await submit(page, 'Sign out');
      await signIn(page, email);
      await submit(page, 'Email me a link');
      await page.goto(await pages.emailedLink(email, '/two-factor-reset'));
      await submit(page, 'Confirm');
      await signIn(page, email);
      await page.getByLabel('Code from your app').fill(await time.codeAt(secret));
      await submit(page, 'Verify');
      await page.goto(`${gatewayUrl}/account/two-factor`);
      await expect(page.getByRole('alert').textContent()).resolves.toMatch(/^Two-step verification will be turned off on \d+ \w+ \d{4}/);
      await submit(page, 'Keep two-step verification on');
      await expect(page.getByRole('status').textContent()).resolves.toBe('Two-step verification stays on.');
      await expect(page.getByRole('alert').count()).resolves.toBe(0);
    } finally {
      await context.close();
    }
  });
});

/** The entry of `email`, approved by the admin through the API: the invite is emailed. */
async function approve(email: string): Promise<void> {
  const entry = await waitFor(
    async () => {
      const listed = await expectJson<{ items: { id: string; email: string }[] }>(
        await call('/admin/waitlist?status=pending&limit=100', { token: adminToken }),
        200,
      );
      return listed.items.find((item) => item.email === email);
    },
    { what: `the waitlist entry of ${email}` },
  );
  await expectJson(await call(`/admin/waitlist/${entry.id}/approve`, { token: adminToken, body: {} }), 200);
}

/** The invite link from the email → sign-up with the address fixed → confirmed → signed in. */
async function signUpFromInvite(page: Page, email: string): Promise<void> {
  const invite = await pages.emailedLink(email, '/register');
  expect(new URL(invite).searchParams.get('email')).toBe(email);
  await page.goto(invite);
  expect(page.url()).toBe(`${gatewayUrl}/register`);
  const field = page.getByLabel('Email address');
  await expect(field.inputValue()).resolves.toBe(email);
  await expect(field.getAttribute('readonly')).resolves.not.toBeNull();
  await page.getByLabel('Password').fill(PASSWORD);
  await submit(page, 'Create account');
  await expect(h1(page)).resolves.toBe('Check your email');
  await page.goto(await pages.emailedLink(email, '/verify-email'));
  await submit(page, 'Confirm my address');
  await expect(h1(page)).resolves.toBe('Your address is confirmed');
  await signIn(page, email);
  expect(page.url()).toBe(`${gatewayUrl}/account`);
  await expect(page.locator('dd').filter({ hasText: email }).count()).resolves.toBe(1);
}

describe('the waitlist and the invite', () => {
  it('with JavaScript: sign-up points to the waitlist, the widget runs, the same answer twice; the invite signs up', async () => {
    const { context, page } = await pages.newPage();
    try {
      const email = pages.address('waitlist');
      await page.goto(`${gatewayUrl}/register`);
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Create account');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('Signing up needs an invitation right now.');
      await page.getByRole('link', { name: 'Join the waitlist' }).click();
      await page.waitForURL(`${gatewayUrl}/waitlist`);

      const answers: string[] = [];
      for (const name of ['Ada', '']) {
        await page.goto(`${gatewayUrl}/waitlist`);
        // The stand-in provider's script ran under the page's policy and left its token in the form.
        await page.locator('input[name="cf-turnstile-response"]').waitFor({ state: 'attached' });
        await page.getByLabel('Email address').fill(email);
        await page.getByLabel('Your name (optional)').fill(name);
        await submit(page, 'Join the waitlist');
        await expect(h1(page)).resolves.toBe('Check your email');
        answers.push((await page.locator('main').textContent()) ?? '');
      }
      expect(answers[1]).toBe(answers[0]);

      await approve(email);
      await signUpFromInvite(page, email);
    } finally {
      await context.close();
    }
  });

  it('without JavaScript: the page says the check needs it, and the API’s refusal shows; the invite signs up', async () => {
    const { context, page } = await pages.newPage({ javaScriptEnabled: false });
    try {
      const email = pages.address('no-script');
      await page.goto(`${gatewayUrl}/waitlist`);
      await expect(page.locator('#captcha-needs-javascript').textContent()).resolves.toContain('This check needs JavaScript');
      await page.getByLabel('Email address').fill(email);
      const refused = await submit(page, 'Join the waitlist');
      expect(refused?.status()).toBe(400);
      await expect(page.getByRole('alert').textContent()).resolves.toContain('The check that you are a person did not pass.');
      await expect(page.locator('#captcha-needs-javascript').isVisible()).resolves.toBe(true);

      // The widget cannot run here: the address joins through the API, and the invite's journey is the page's.
      await expectJson(await call('/waitlist/join', { body: { email, captchaToken: solvedToken() } }), 202);
      await approve(email);
      await signUpFromInvite(page, email);
    } finally {
      await context.close();
    }
  });

  it('widens the CSP for the provider on the waitlist page alone', async () => {
    const waitlist = await fetch(`${gatewayUrl}/waitlist`);
    const csp = waitlist.headers.get('content-security-policy') ?? '';
    expect(csp).toContain(`script-src 'self' ${standInUrl} https://challenges.cloudflare.com`);
    expect(csp).toContain(`frame-src ${standInUrl} https://challenges.cloudflare.com`);
    expect(csp).not.toContain('unsafe-inline');
    const markup = await waitlist.text();
    expect(markup).toContain('class="captcha cf-turnstile" data-sitekey="stand-in-site-key"');
    expect(markup).toContain(`<script src="${standInUrl}/turnstile/api.js" async defer></script>`);
    for (const other of ['/login', '/register', '/account/two-factor']) {
      const policy = (await fetch(`${gatewayUrl}${other}`)).headers.get('content-security-policy') ?? '';
      expect(policy).not.toContain(standInUrl);
      expect(policy).not.toContain('data:');
    }
  });
});

describe('the new pages, at 375 and 1280 px, light and dark', () => {
  it.each(['light', 'dark'] as const)('%s: screenshots, and axe finds no serious or critical violation', async (colorScheme) => {
    const email = accounts.pop()!;
    const problems: string[] = [];
    const { context, page } = await pages.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    const scriptless = await pages.newPage({ colorScheme, viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
    // The same waitlist page with script on but the provider's kept away: no widget, no token, as without JavaScript.
    const unscripted = await pages.newPage({ colorScheme, viewport: { width: 1280, height: 900 } });
    await unscripted.page.route(`${standInUrl}/**`, (route) => route.abort());
    const capture = (page: Page, name: string) => pages.capture(page, name, colorScheme, problems);
    /** Both pages at the same no-JS state: screenshots of the one without script, axe on its twin. */
    const captureWithoutScript = async (name: string) => {
      await pages.screenshots(scriptless.page, name, colorScheme);
      await pages.axe(unscripted.page, name, problems, { asWithoutScript: true });
    };
    try {
      await page.goto(`${gatewayUrl}/waitlist`);
      await page.locator('input[name="cf-turnstile-response"]').waitFor({ state: 'attached' });
      await capture(page, 'waitlist');
      await page.getByLabel('Email address').fill(pages.address('screens'));
      await submit(page, 'Join the waitlist');
      await capture(page, 'waitlist-joined');

      for (const { page } of [scriptless, unscripted]) await page.goto(`${gatewayUrl}/waitlist`);
      await captureWithoutScript('waitlist-no-javascript');
      for (const { page } of [scriptless, unscripted]) {
        await page.getByLabel('Email address').fill(pages.address('screens'));
        await expect(submit(page, 'Join the waitlist').then((answer) => answer?.status())).resolves.toBe(400);
        await expect(page.getByRole('alert').textContent()).resolves.toContain('The check that you are a person did not pass.');
      }
      await captureWithoutScript('waitlist-refused');

      await signIn(page, email);
      await capture(page, 'account-two-factor-off');
      await page.goto(`${gatewayUrl}/account/two-factor`);
      await capture(page, 'two-factor-off');
      await page.getByLabel('Password').fill('not the password');
      await submit(page, 'Start');
      await expect(page.locator('#field-password-error').textContent()).resolves.toBe('That is not your password.');
      await capture(page, 'two-factor-off-wrong-password');
      // The right password straight after a wrong one starts the set-up: the wrong one did not sign out.
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Start');
      await expect(h1(page)).resolves.toBe('Turn on two-step verification');
      await capture(page, 'two-factor-set-up');
      const secret = (await page.locator('#two-factor-secret').textContent()) ?? '';
      await page.getByLabel('Code from your app').fill('000000');
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Turn on');
      await capture(page, 'two-factor-set-up-wrong-code');
      await page.getByLabel('Code from your app').fill(await time.codeAt(secret));
      await page.getByLabel('Password').fill('not the password');
      await submit(page, 'Turn on');
      await expect(page.locator('#field-password-error').textContent()).resolves.toBe('That is not your password.');
      await capture(page, 'two-factor-set-up-wrong-password');
      // Whether or not the refused attempt spent the step's code, the next step's is fresh.
      time.nextStep();
      await page.getByLabel('Code from your app').fill(await time.codeAt(secret));
      await page.getByLabel('Password').fill(PASSWORD);
      await submit(page, 'Turn on');
      await capture(page, 'two-factor-recovery-codes');
      time.nextStep();
      await page.goto(`${gatewayUrl}/account/two-factor`);
      await capture(page, 'two-factor-on');
      await page.goto(`${gatewayUrl}/account/two-factor/new-recovery-codes`);
      await capture(page, 'two-factor-new-recovery-codes');
      await page.goto(`${gatewayUrl}/account/two-factor/turn-off`);
      await capture(page, 'two-factor-turn-off');
      await page.goto(`${gatewayUrl}/account`);
      await capture(page, 'account-two-factor-on');
      expect(problems).toEqual([]);
    } finally {
      await context.close();
      await scriptless.context.close();
      await unscripted.context.close();
    }
  });
});
