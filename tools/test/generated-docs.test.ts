import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderGeneratedDocs } from '../src/generated-docs';
import { repoRoot } from '../src/service-configs';

describe('generated docs', () => {
  it('are current (npm run docs:generate writes them)', () => {
    const stale: string[] = [];
    for (const [file, text] of renderGeneratedDocs()) {
      const absolute = path.join(repoRoot, file);
      if (!existsSync(absolute) || readFileSync(absolute, 'utf8') !== text) stale.push(file);
    }
    if (stale.length > 0) throw new Error(`stale or missing: ${stale.join(', ')}; run \`npm run docs:generate\` at the repository root`);
  });
});
