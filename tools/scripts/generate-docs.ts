/**
 * Writes the generated parts of docs/ (the AsyncAPI document and the configuration reference).
 * Run `npm run docs:generate` after changing an event, a topic or a config schema.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { renderGeneratedDocs } from '../src/generated-docs';
import { repoRoot } from '../src/service-configs';

function main(): void {
  for (const [file, text] of renderGeneratedDocs()) {
    const absolute = path.join(repoRoot, file);
    if (existsSync(absolute) && readFileSync(absolute, 'utf8') === text) {
      console.log(`${file} up to date`);
      continue;
    }
    mkdirSync(path.dirname(absolute), { recursive: true });
    writeFileSync(absolute, text);
    console.log(`wrote ${file}`);
  }
}

main();
