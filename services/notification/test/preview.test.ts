import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { writeEmailPreviews, type PreviewFile } from '../src/templates/email-preview';
import { SAMPLE_VARIABLES } from '../src/templates/email-samples';
import { EmailTemplate, SUPPORTED_LOCALES } from '@solar/contracts';

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

// Every template in every locale: German words are longer, and must not push the layout sideways either.
const CASES = SUPPORTED_LOCALES.flatMap((locale) => EmailTemplate.options.map((template) => [locale, template] as const));

describe('email previews in headless Chromium', () => {
  it('writes every template of every locale as HTML and text, with an index linking them', async () => {
    expect(previews.map((p) => [p.locale, p.template])).toEqual(CASES);
    const index = await readFile(path.join(OUT_DIR, 'index.html'), 'utf8');
    for (const [locale, template] of CASES) {
      expect(index).toContain(`href="${locale}/${template}.html"`);
      expect(index).toContain(`href="${locale}/${template}.txt"`);
      const text = await readFile(path.join(OUT_DIR, locale, `${template}.txt`), 'utf8');
      for (const leftover of LEFTOVERS) expect(text).not.toContain(leftover);
    }
  });

  it.each(CASES)('%s/%s loads at 375 and 600 px with working links and nothing left unfilled', async (locale, template) => {
    const preview = previews.find((p) => p.locale === locale && p.template === template)!;
    const html = await readFile(preview.html, 'utf8');
    for (const leftover of LEFTOVERS) expect(html).not.toContain(leftover);
    expect(html).toContain(`lang="${locale}"`);

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
        // Nor if a long word (German has many) sticks out of its box, which a clipped card would hide from the check above.
        const overflowing = await page.evaluate<string[]>(
          `[...document.querySelectorAll('body *')].filter((el) => el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0).map((el) => el.outerHTML.slice(0, 80))`,
        );
        expect(overflowing).toEqual([]);

        await page.screenshot({ path: path.join(OUT_DIR, locale, `${template}-${width}.png`), fullPage: true });
      } finally {
        await page.close();
      }
    }
  });
});
