import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page, Response } from 'playwright-core';
import { Mailpit, waitFor } from '@solar/chassis/testing';
import type { TestStack } from '../support/stack';
import { seriousViolations } from './browser';

/** Run in the page (as text: the tests are compiled without the DOM's types). */
const UNFOLD_NOSCRIPT = `for (const noscript of document.querySelectorAll('noscript')) {
  const template = document.createElement('template');
  template.innerHTML = noscript.textContent;
  noscript.replaceWith(template.content);
}`;

/** Where the pages' screenshots go, for a person to look at after a run. */
const OUT_DIR = path.resolve(__dirname, '../../../.local/test-output/pages');

/**
 * What the page tests share: a browser on the stack's gateway, the emails in Mailpit with their links
 * moved to that gateway, and screenshots with an axe check. Each test file has its own stack and
 * harness.
 */
export class PageHarness {
  readonly mailpit: Mailpit;
  /** Every token of an emailed link the tests opened: none may show in web's logs. */
  readonly linkTokens: string[] = [];
  private url = '';
  private chromium: Browser | undefined;
  private counter = 0;
  /** Contexts without JavaScript: axe runs in the page, so it can only be pointed at their pages' twins with script. */
  private readonly scriptless = new WeakSet<BrowserContext>();

  constructor(readonly stack: TestStack) {
    this.mailpit = new Mailpit(stack.infra.mailpitUrl);
    mkdirSync(OUT_DIR, { recursive: true });
  }

  /** After the stack's gateway and web are up. */
  ready(gatewayUrl: string, browser: Browser): void {
    this.url = gatewayUrl;
    this.chromium = browser;
  }

  get gatewayUrl(): string {
    return this.url;
  }

  /** A fresh address of this stack, so runs and tests never meet each other's mail. */
  address(label: string): string {
    return `${label}-${++this.counter}.${this.stack.name}@example.test`.toLowerCase();
  }

  /** The newest email to `to` with a link to `linkPath`, its link moved to the test's gateway. */
  async emailedLink(to: string, linkPath: string, seenIds: Set<string> = new Set()): Promise<string> {
    const link = await waitFor(
      async () => {
        for (const summary of await this.mailpit.search(`to:"${to}"`)) {
          if (seenIds.has(summary.ID)) continue;
          const message = await this.mailpit.message(summary.ID);
          const found = /https:\/\/app\.solar\.test\/[^\s<>"')\]]+/.exec(message.Text)?.[0];
          if (found && new URL(found).pathname === linkPath) {
            seenIds.add(summary.ID);
            return found;
          }
        }
        return undefined;
      },
      { what: `an email to ${to} linking to ${linkPath}` },
    );
    const url = new URL(link);
    for (const value of url.searchParams.values()) this.linkTokens.push(value);
    return `${this.url}${url.pathname}${url.search}`;
  }

  /** The first email to `to` whose subject matches, waited for. */
  async email(to: string, subject: RegExp): Promise<{ Subject: string; Text: string }> {
    return waitFor(
      async () => {
        for (const summary of await this.mailpit.search(`to:"${to}"`)) {
          if (subject.test(summary.Subject)) return this.mailpit.message(summary.ID);
        }
        return undefined;
      },
      { what: `an email to ${to} with the subject ${subject}` },
    );
  }

  async newPage(options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; urls: string[] }> {
    if (!this.chromium) throw new Error('call ready() first');
    const context = await this.chromium.newContext({ locale: 'en-GB', ...options });
    if (options.javaScriptEnabled === false) this.scriptless.add(context);
    const page = await context.newPage();
    const urls: string[] = [];
    page.on('request', (request) => urls.push(request.url()));
    return { context, page, urls };
  }

  async signIn(page: Page, email: string, password: string): Promise<void> {
    await page.goto(`${this.url}/login`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill(password);
    await submit(page, 'Sign in');
  }

  /** The page as it is: axe's serious and critical findings into `problems`, screenshots at 375 and 1280 px. */
  async capture(page: Page, name: string, colorScheme: 'light' | 'dark', problems: string[]): Promise<void> {
    await this.axe(page, name, problems);
    await this.screenshots(page, name, colorScheme);
  }

  /**
   * axe's serious and critical findings into `problems`. With `asWithoutScript`, the page's <noscript>
   * content is put in place first, as a browser without script shows it: a page in a context without
   * JavaScript cannot run axe at all (its evaluation never answers), so the no-JS state is checked on
   * the same page loaded with script, whose own scripts the caller keeps from running.
   */
  async axe(page: Page, name: string, problems: string[], { asWithoutScript = false } = {}): Promise<void> {
    if (this.scriptless.has(page.context())) {
      throw new Error(`${name}: axe cannot run without JavaScript; check the page with script (asWithoutScript) instead`);
    }
    if (asWithoutScript) {
      await page.evaluate(UNFOLD_NOSCRIPT);
    }
    problems.push(...(await seriousViolations(page)).map((violation) => `${name}: ${violation}`));
  }

  /** Full-page screenshots at 375 and 1280 px, for a person to look at. */
  async screenshots(page: Page, name: string, colorScheme: 'light' | 'dark'): Promise<void> {
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({ path: path.join(OUT_DIR, `${name}-${width}-${colorScheme}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

/**
 * Presses a form's button and waits for the page it leads to, whose answer it returns. A name matches
 * whole: pages have buttons whose names contain others' ("Turn on" in a longer label).
 */
export async function submit(page: Page, button: string | RegExp): Promise<Response | null> {
  const [response] = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: button, exact: true }).click()]);
  return response;
}

export const h1 = (page: Page): Promise<string | null> => page.getByRole('heading', { level: 1 }).textContent();
