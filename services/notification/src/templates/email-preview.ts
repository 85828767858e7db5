import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EmailTemplate } from '@solar/contracts';
import type { BrandInput } from './email-brand';
import { escapeHtml } from './email-layout';
import { SAMPLE_NOW, SAMPLE_VARIABLES } from './email-samples';
import { renderEmail, type RenderedEmail } from './render-email';

export interface PreviewFile {
  template: EmailTemplate;
  subject: string;
  /** Absolute paths. */
  html: string;
  text: string;
}

/**
 * Renders every template with sample data into `outDir` as `<template>.html` and `<template>.txt`,
 * plus an `index.html` linking them: what `npm run email:preview` writes and the Chromium test opens.
 */
export async function writeEmailPreviews(outDir: string, brand: BrandInput, locale = 'en'): Promise<PreviewFile[]> {
  const dir = path.resolve(outDir);
  await mkdir(dir, { recursive: true });
  const files: PreviewFile[] = [];
  for (const template of EmailTemplate.options) {
    const email: RenderedEmail = await renderEmail(template, SAMPLE_VARIABLES[template], brand, { locale, now: SAMPLE_NOW });
    const file = { template, subject: email.subject, html: path.join(dir, `${template}.html`), text: path.join(dir, `${template}.txt`) };
    await writeFile(file.html, email.html);
    await writeFile(file.text, `Subject: ${email.subject}\n\n${email.text}`);
    files.push(file);
  }
  await writeFile(path.join(dir, 'index.html'), previewIndex(files));
  return files;
}

function previewIndex(files: PreviewFile[]): string {
  const rows = files
    .map(
      (file) =>
        `<li><a href="${escapeHtml(path.basename(file.html))}">${escapeHtml(file.template)}</a> (<a href="${escapeHtml(path.basename(file.text))}">text</a>): ${escapeHtml(file.subject)}</li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Email previews</title></head>
<body style="font-family:Helvetica,Arial,sans-serif;max-width:720px;margin:32px auto;line-height:1.6">
<h1>Email previews</h1>
<p>Every template rendered with sample data, sent at ${escapeHtml(SAMPLE_NOW.toISOString())}.</p>
<ul>
${rows}
</ul>
</body></html>
`;
}
