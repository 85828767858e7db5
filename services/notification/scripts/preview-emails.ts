/**
 * `npm run email:preview [outDir]`: writes every email template in every locale, rendered with sample
 * data, to outDir (default .local/email-preview/, one folder per locale) for a look in a browser. The brand comes from the same
 * BRAND_* variables as the service, so `BRAND_PRIMARY_COLOR=#0f766e npm run email:preview` shows
 * a deployment's colours.
 */
import path from 'node:path';
import { BrandConfig, brandFromConfig, loadConfig } from '@solar/chassis';
import { z } from 'zod';
import { writeEmailPreviews } from '../src/templates/email-preview';

async function main(): Promise<void> {
  const outDir = process.argv[2] ?? '.local/email-preview';
  // Previews are never sent, so the development footer is fine even where NODE_ENV says production.
  const config = loadConfig(BrandConfig.extend({ NODE_ENV: z.literal('development').catch('development') }), process.env);
  const files = await writeEmailPreviews(outDir, brandFromConfig(config));
  console.log(`wrote ${files.length} emails (HTML and text, every template in every locale) to ${path.resolve(outDir)}`);
  console.log(`open ${path.resolve(outDir, 'index.html')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
