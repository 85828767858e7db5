import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EmailTemplate, SUPPORTED_LOCALES, type Locale } from '@solar/contracts';
import type { BrandInput } from '@solar/chassis';
import { escapeHtml } from './email-layout';
import { SAMPLE_NOW, SAMPLE_VARIABLES } from './email-samples';
import { renderEmail, type RenderedEmail } from './render-email';

export interface PreviewFile {
  locale: Locale;
  template: EmailTemplate;
  subject: string;
  /** Absolute paths. */
  html: string;
  text: string;
}

/**
 * Renders every template in every supported locale with sample data into `outDir` as
 * `<locale>/<template>.html` and `<locale>/<template>.txt`, plus an `index.html` linking them:
 * what `npm run email:preview` writes and the Chromium test opens.
 */
export async function writeEmailPreviews(outDir: string, brand: BrandInput): Promise<PreviewFile[]> {
  const dir = path.resolve(outDir);
  const files: PreviewFile[] = [];
  for (const locale of SUPPORTED_LOCALES) {
    await mkdir(path.join(dir, locale), { recursive: true });
    for (const template of EmailTemplate.options) {
      const email: RenderedEmail = await renderEmail(template, SAMPLE_VARIABLES[template], brand, { locale, now: SAMPLE_NOW });
      const base = path.join(dir, locale, template);
      const file = { locale, template, subject: email.subject, html: `${base}.html`, text: `${base}.txt` };
      await writeFile(file.html, email.html);
      await writeFile(file.text, `Subject: ${email.subject}\n\n${email.text}`);
      files.push(file);
    }
  }
  await writeFile(path.join(dir, 'index.html'), previewIndex(dir, files));
  return files;
}

function previewIndex(dir: string, files: PreviewFile[]): string {
  const href = (file: string) => escapeHtml(path.relative(dir, file).split(path.sep).join('/'));
  const rows = SUPPORTED_LOCALES.map((locale) => {
    const items = files
      .filter((file) => file.locale === locale)
      .map(
        (file) =>
          `<li><a href="${href(file.html)}">${escapeHtml(file.template)}</a> (<a href="${href(file.text)}">text</a>): ${escapeHtml(file.subject)}</li>`,
      )
      .join('\n');
    return `<h2 lang="${locale}">${locale}</h2>\n<ul>\n${items}\n</ul>`;
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Email previews</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;max-width:720px;margin:32px auto;line-height:1.6">
<h1>Email previews</h1>
<p>Every template in every locale, rendered with sample data, sent at ${escapeHtml(SAMPLE_NOW.toISOString())}.</p>
${rows}
</body></html>
`;
}
