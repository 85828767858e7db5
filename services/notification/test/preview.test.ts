import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeEmailPreviews, type PreviewFile } from '../src/templates/email-preview';
import { SAMPLE_VARIABLES } from '../src/templates/email-samples';
import { EmailTemplate } from '@solar/contracts';

// Debian's chromium, installed by scripts/test.sh; never a browser Playwright downloads.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OUT_DIR = path.resolve(__dirname, '../../../.local/test-output/email-preview');
const WIDTHS = [375, 600] as const;
// What a template bug leaves behind: an unfilled marker or a value JavaScript could not produce.
const LEFTOVERS = ['{{', '}}', 'undefined', 'null', 'NaN', 'Invalid Date', '[object Object]'];

let browser: Browser;
let previews: PreviewFile[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the email preview test needs it. ` +
        'Install it with `apt-get install -y chromium` (scripts/test.sh does so when run as root), or set CHROMIUM_PATH.',
    );
  }
  await rm(OUT_DIR, { recursive: true, force: true });
  previews = await writeEmailPreviews(OUT_DIR, { name: 'Solar Accounts' });
  // launch() gives every run a new, empty profile of its own (it refuses a --user-data-dir argument).
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root without a sandbox, and nothing that phones home: this machine has no network beyond loopback.
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
});

afterAll(async () => {
  await browser?.close();
});

describe('email previews in headless Chromium', () => {
  it('writes every template as HTML and text, with an index linking them', async () => {
    expect(previews.map((p) => p.template)).toEqual(EmailTemplate.options);
    const index = await readFile(path.join(OUT_DIR, 'index.html'), 'utf8');
    for (const template of EmailTemplate.options) {
      expect(index).toContain(`href="${template}.html"`);
      expect(index).toContain(`href="${template}.txt"`);
      const text = await readFile(path.join(OUT_DIR, `${template}.txt`), 'utf8');
      for (const leftover of LEFTOVERS) expect(text).not.toContain(leftover);
    }
  });

  it.each(EmailTemplate.options)('%s loads at 375 and 600 px with working links and nothing left unfilled', async (template) => {
    const preview = previews.find((p) => p.template === template)!;
    const html = await readFile(preview.html, 'utf8');
    for (const leftover of LEFTOVERS) expect(html).not.toContain(leftover);

    for (const width of WIDTHS) {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      try {
        await page.goto(pathToFileURL(preview.html).href, { waitUntil: 'load' });
        expect(await page.title()).toBe(preview.subject);
        const text = await page.locator('body').innerText();
        expect(text).toContain('Solar Accounts');
        for (const leftover of LEFTOVERS) expect(text).not.toContain(leftover);

        const hrefs = await page.$$eval('a', (links) => links.map((a) => a.getAttribute('href') ?? ''));
        for (const href of hrefs) expect(href).toMatch(/^https?:\/\/[^\s/]+/);
        // Each link variable of the sample data is a button in the page.
        const links = Object.entries(SAMPLE_VARIABLES[template]).filter(([name]) => /link$/i.test(name));
        for (const [, link] of links) expect(hrefs).toContain(link);

        // The layout is broken if the page scrolls sideways on a phone.
        // A string, because this project compiles without the DOM library.
        const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
        expect(scrollWidth).toBeLessThanOrEqual(width);

        await page.screenshot({ path: path.join(OUT_DIR, `${template}-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    }
  });
});
