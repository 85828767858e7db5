import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { stringify } from 'yaml';
import { renderAsyncApi } from '@solar/contracts';
import { renderConfigReference } from './config-reference';
import { renderEventsSummary } from './events-summary';
import { loadServiceConfigs, repoRoot } from './service-configs';

/** Files under docs/ that are generated from code, by path relative to the repository root. */
export function renderGeneratedDocs(): Map<string, string> {
  const files = new Map<string, string>([
    [
      'docs/asyncapi.yaml',
      `# Generated from contracts/src by npm run docs:generate; do not edit.\n${stringify(renderAsyncApi(), { lineWidth: 0 })}`,
    ],
    ['docs/configuration.md', renderConfigReference(loadServiceConfigs())],
    ['docs/events.md', renderEventsSummary()],
  ]);
  // Formatted as `npm run format` would, so formatting the repository never makes them stale. The CLI,
  // because prettier's API loads its plugins with import(), which Jest's CommonJS runtime refuses.
  const prettier = path.join(repoRoot, 'node_modules', '.bin', 'prettier');
  return new Map(
    [...files].map(([file, text]) => [
      file,
      execFileSync(prettier, ['--stdin-filepath', path.join(repoRoot, file)], { input: text, encoding: 'utf8' }),
    ]),
  );
}
