import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { apiClient, expectJson } from '../support/api-client';
import { freePort } from '../support/sasl-kafka';
import { TestStack } from '../support/stack';
import { launchChromium } from './browser';
import { h1, PageHarness, submit } from './page-harness';
import { TotpClock } from './totp-clock';

// Passkeys on the pages (issue 20), in Debian's Chromium with its virtual authenticator driven
// through the DevTools protocol: added on the account page, then signing in alone and as the second
// factor; a cloned authenticator, another origin, a replayed answer and a removed passkey refused.
// The browser sees the stack on `localhost`: a WebAuthn relying party is a domain, never an IP.

jest.setTimeout(180_000);

const stack = new TestStack('web-passkeys');
const pages = new PageHarness(stack);
const time = new TotpClock();
const PASSWORD = 'a long and proper password';
const REFUSED = 'That passkey was not accepted. Sign in with your password, or with another passkey.';

let browserUrl: string;
let apiUrl: string;
let browser: Browser;
let elsewhere: Server;
let elsewhereUrl: string;
const call = apiClient(stack, () => apiUrl);

beforeAll(async () => {
  const port = await freePort();
  browserUrl = `http://localhost:${port}`;
  apiUrl = `http://127.0.0.1:${port}`;
  await stack.startIdentity({ APP_URL: browserUrl }, { clock: time.now });
  await stack.startNotification();
  const webUrl = await stack.reserveWebUrl();
  await stack.startGateway({ GATEWAY_PORT: String(port), WEB_URL: webUrl });
  await stack.startWeb({ PUBLIC_URL: browserUrl }, { clock: time.now });
  // A page of another origin on the same host: the relying party id allows it, the origin list not.
  elsewhere = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>x</title>'));
  const otherPort = await freePort();
  await new Promise<void>((resolve) => elsewhere.listen(otherPort, '127.0.0.1', resolve));
  elsewhereUrl = `http://localhost:${otherPort}`;
  browser = await launchChromium();
  pages.ready(browserUrl, browser);
});

afterAll(async () => {
  await browser?.close();
  await stack.stop();
  await new Promise((resolve) => elsewhere?.close(resolve));
});

interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId: string;
  privateKey: string;
  userHandle: string;
  signCount: number;
}

/** A platform authenticator with user verification, answering every ceremony of `page` at once. */
async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; id: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, id: authenticatorId };
}

/**
 * A page whose browser offers no autofill for passkeys, as some still do not: only the button signs
 * in. Chromium's virtual authenticator answers an autofill request at once, standing in for a person
 * who picks the passkey from the list, so with autofill a passkey signs in as the sign-in page loads.
 */
async function pageWithoutAutofill(): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await pages.newPage();
  await opened.page.addInitScript(() => {
    const { PublicKeyCredential } = globalThis as unknown as { PublicKeyCredential: object };
    Object.defineProperty(PublicKeyCredential, 'isConditionalMediationAvailable', { value: undefined });
  });
  return opened;
}

async function credentialsOf(authenticator: { cdp: CDPSession; id: string }): Promise<VirtualCredential[]> {
  const { credentials } = await authenticator.cdp.send('WebAuthn.getCredentials', { authenticatorId: authenticator.id });
  return credentials as VirtualCredential[];
}

async function confirmedAccount(label: string): Promise<string> {
  const email = pages.address(label);
  await stack.signUpVerified(email, PASSWORD);
  return email;
}

/** On the account page, signed in: names a passkey, confirms with the password, and lets the authenticator make it. */
async function addPasskey(page: Page, name: string): Promise<void> {
  const form = page.locator('form[data-passkey="add"]');
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Your password, to confirm').fill(PASSWORD);
  await Promise.all([
    page.waitForURL(`${browserUrl}/account?done=passkey-added`),
    form.getByRole('button', { name: 'Add a passkey' }).click(),
  ]);
}

async function signOut(page: Page): Promise<void> {
  await submit(page, 'Sign out');
}

/** The authenticator's answer the sign-in page posted, as it went: for replaying it. */
function capturedAnswers(page: Page): string[] {
  const answers: string[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/login/passkey') {
      const credential = new URLSearchParams(request.postData() ?? '').get('credential');
      if (credential) answers.push(credential);
    }
  });
  return answers;
}

async function signInWithPasskey(page: Page): Promise<void> {
  await page.goto(`${browserUrl}/login`);
  await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
}

/** The sentence the passkey form shows, once it shows one. */
async function passkeyError(page: Page, kind: 'add' | 'sign-in'): Promise<string | null> {
  const error = page.locator(`form[data-passkey="${kind}"] [data-passkey-error]`);
  await error.waitFor({ state: 'visible' });
  return error.textContent();
}

async function problemCode(response: Response): Promise<unknown> {
  return ((await response.json()) as { code?: unknown }).code;
}

describe('passkeys on the pages', () => {
  it('adds a passkey on the account page, signs out, and signs in with it alone: by its button, and by autofill', async () => {
    const email = await confirmedAccount('passkey');
    const { context, page } = await pageWithoutAutofill();
    const other = await pages.newPage();
    const problems: string[] = [];
    try {
      const authenticator = await virtualAuthenticator(page);
      await pages.signIn(page, email, PASSWORD);
      expect(page.url()).toBe(`${browserUrl}/account`);
      await expect(page.getByText('No passkey yet.').count()).resolves.toBe(1);

      // Nothing reaches the authenticator before the name and the password are right.
      const form = page.locator('form[data-passkey="add"]');
      await form.getByLabel('Your password, to confirm').fill(PASSWORD);
      await form.getByRole('button', { name: 'Add a passkey' }).click();
      await expect(passkeyError(page, 'add')).resolves.toBe('Give the passkey a name.');
      await form.getByLabel('Name').fill('This laptop');
      await form.getByLabel('Your password, to confirm').fill('not the password');
      await form.getByRole('button', { name: 'Add a passkey' }).click();
      await expect(passkeyError(page, 'add')).resolves.toBe('That is not your password.');
      expect(await credentialsOf(authenticator)).toHaveLength(0);

      await addPasskey(page, 'This laptop');
      await expect(page.getByRole('status').textContent()).resolves.toBe('The passkey is added. It signs you in from now on.');
      const row = page.locator('#passkeys li').filter({ hasText: 'This laptop' });
      await expect(row.textContent()).resolves.toContain('last used never');
      const [credential] = await credentialsOf(authenticator);
      expect(credential).toMatchObject({ isResidentCredential: true, rpId: 'localhost' });
      const mail = await pages.email(email, /A passkey was added/);
      expect(mail.Text).toContain('This laptop');
      await pages.capture(page, 'passkeys-account', 'light', problems);

      await signOut(page);
      await signInWithPasskey(page);
      await page.waitForURL(`${browserUrl}/account`);
      await expect(row.textContent()).resolves.not.toContain('last used never');
      await signOut(page);
      await page.goto(`${browserUrl}/login`);
      await pages.capture(page, 'passkeys-sign-in', 'light', problems);
      expect(problems).toEqual([]);

      // The same passkey, synced to another browser that offers it in the address field's autofill.
      const [synced] = await credentialsOf(authenticator);
      const elsewhere = await virtualAuthenticator(other.page);
      await elsewhere.cdp.send('WebAuthn.addCredential', { authenticatorId: elsewhere.id, credential: synced! });
      await other.page.goto(`${browserUrl}/login`);
      await other.page.waitForURL(`${browserUrl}/account`);
    } finally {
      await other.context.close();
      await context.close();
    }
  });

  it('completes a two-factor sign-in with a passkey after the password', async () => {
    const email = await confirmedAccount('passkey-2fa');
    const tokens = await expectJson<{ access_token: string }>(await call('/auth/login', { body: { email, password: PASSWORD } }), 200);
    const setup = await expectJson<{ secret: string }>(
      await call('/auth/2fa/enable', { body: { password: PASSWORD }, token: tokens.access_token }),
      200,
    );
    await expectJson(
      await call('/auth/2fa/verify', { body: { password: PASSWORD, code: await time.codeAt(setup.secret) }, token: tokens.access_token }),
      200,
    );
    time.nextStep();
    const { context, page } = await pageWithoutAutofill();
    try {
      await virtualAuthenticator(page);
      await pages.signIn(page, email, PASSWORD);
      expect(page.url()).toBe(`${browserUrl}/login/two-factor`);
      // No passkey yet: the button says to use a code.
      await page.getByRole('button', { name: 'Use a passkey instead' }).click();
      await expect(passkeyError(page, 'sign-in')).resolves.toBe('This account has no passkey. Enter a code from your authenticator app.');
      await page.getByLabel('Code from your app').fill(await time.codeAt(setup.secret));
      await submit(page, 'Verify');
      expect(page.url()).toBe(`${browserUrl}/account`);
      time.nextStep();
      await addPasskey(page, 'Phone');

      await signOut(page);
      await pages.signIn(page, email, PASSWORD);
      expect(page.url()).toBe(`${browserUrl}/login/two-factor`);
      await expect(h1(page)).resolves.toBe('Two-step verification');
      const problems: string[] = [];
      await pages.capture(page, 'passkeys-second-factor', 'light', problems);
      expect(problems).toEqual([]);
      await Promise.all([page.waitForURL(`${browserUrl}/account`), page.getByRole('button', { name: 'Use a passkey instead' }).click()]);
      await expect(page.locator('#passkeys li').filter({ hasText: 'Phone' }).textContent()).resolves.not.toContain('last used never');
    } finally {
      await context.close();
    }
  });

  it('refuses a cloned authenticator, another origin, a replayed answer and a removed passkey', async () => {
    const email = await confirmedAccount('passkey-attacks');
    const { context, page } = await pageWithoutAutofill();
    const clone = await pageWithoutAutofill();
    try {
      const authenticator = await virtualAuthenticator(page);
      await pages.signIn(page, email, PASSWORD);
      await addPasskey(page, 'Original');
      const answers = capturedAnswers(page);
      for (let i = 0; i < 2; i += 1) {
        await signOut(page);
        await signInWithPasskey(page);
        await page.waitForURL(`${browserUrl}/account`);
      }

      // The same key in another authenticator whose counter starts again: a copy, refused.
      const [original] = await credentialsOf(authenticator);
      expect(original!.signCount).toBeGreaterThanOrEqual(2);
      const copy = await virtualAuthenticator(clone.page);
      await copy.cdp.send('WebAuthn.addCredential', { authenticatorId: copy.id, credential: { ...original!, signCount: 0 } });
      await signInWithPasskey(clone.page);
      await expect(passkeyError(clone.page, 'sign-in')).resolves.toBe(REFUSED);
      expect(clone.page.url()).toBe(`${browserUrl}/login`);

      // A page elsewhere gets real options and a real answer from the authenticator: its origin is refused.
      const { options } = await expectJson<{ options: unknown }>(await call('/auth/passkeys/authentication/options', { body: {} }), 200);
      await page.goto(elsewhereUrl);
      await page.addScriptTag({ content: await (await fetch(`${apiUrl}/assets/webauthn.js`)).text() });
      const phished = await page.evaluate(
        (optionsJSON) =>
          (
            globalThis as unknown as { SimpleWebAuthnBrowser: { startAuthentication(o: unknown): Promise<unknown> } }
          ).SimpleWebAuthnBrowser.startAuthentication({
            optionsJSON,
          }),
        options,
      );
      await expect(problemCode(await call('/auth/passkeys/authentication/verify', { body: { credential: phished } }))).resolves.toBe(
        'invalid_credentials',
      );

      // The answer the sign-in page sent, sent again: its challenge is spent.
      expect(answers.length).toBeGreaterThanOrEqual(1);
      const replay = await call('/auth/passkeys/authentication/verify', { body: { credential: JSON.parse(answers[0]!) as unknown } });
      await expect(problemCode(replay)).resolves.toBe('passkey_challenge_invalid');

      // Removed with the password: the authenticator still holds it, the account no longer takes it.
      await page.goto(`${browserUrl}/account`);
      const row = page.locator('#passkeys li').filter({ hasText: 'Original' });
      await row.getByLabel('Your password, to remove it').fill(PASSWORD);
      await Promise.all([
        page.waitForURL(`${browserUrl}/account?done=passkey-removed`),
        row.getByRole('button', { name: 'Remove passkey: Original' }).click(),
      ]);
      await signOut(page);
      await signInWithPasskey(page);
      await expect(passkeyError(page, 'sign-in')).resolves.toBe(REFUSED);
      expect(page.url()).toBe(`${browserUrl}/login`);
      expect(await credentialsOf(authenticator)).toHaveLength(1);
    } finally {
      await clone.context.close();
      await context.close();
    }
  });

  it('shows no passkey button without JavaScript, and says why', async () => {
    const { context, page } = await pages.newPage({ javaScriptEnabled: false });
    try {
      await page.goto(`${browserUrl}/login`);
      await expect(page.getByRole('button', { name: 'Sign in with a passkey' }).count()).resolves.toBe(0);
      await expect(page.getByText('Passkeys need JavaScript and a browser that supports them.').isVisible()).resolves.toBe(true);
      await expect(page.getByRole('button', { name: 'Sign in', exact: true }).count()).resolves.toBe(1);
    } finally {
      await context.close();
    }
  });
});
