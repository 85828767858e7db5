/**
 * Writes contracts/schemas/<topic>/<EventName>.v<N>.json for every registered event and removes
 * files no event renders any more: the folder is generated as a whole. Run `npm run contracts:generate`.
 */
import { mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderJsonSchemas } from '../src/json-schema';
import { contractsDir, findSchemaDrift } from './schema-files';

function main(): void {
  const rendered = renderJsonSchemas();
  const { stale, orphaned } = findSchemaDrift(rendered);
  for (const file of stale) write(file, rendered.get(file) ?? '');
  for (const file of orphaned) remove(file);
  const changes = [...stale.map((file) => `wrote ${file}`), ...orphaned.map((file) => `removed ${file}`)];
  console.log(changes.length === 0 ? `${rendered.size} JSON Schema files up to date` : changes.join('\n'));
}

function write(file: string, text: string): void {
  const absolute = path.join(contractsDir, file);
  mkdirSync(path.dirname(absolute), { recursive: true });
  writeFileSync(absolute, text);
}

function remove(file: string): void {
  const absolute = path.join(contractsDir, file);
  rmSync(absolute);
  const dir = path.dirname(absolute);
  if (readdirSync(dir).length === 0) rmdirSync(dir);
}

main();
