import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { renderJsonSchemas } from '../src/json-schema';

export const contractsDir = path.resolve(__dirname, '..');
const schemasDir = path.join(contractsDir, 'schemas');

/** JSON files under contracts/schemas, as paths relative to the contracts package. */
export function listSchemaFiles(): string[] {
  if (!existsSync(schemasDir)) return [];
  return readdirSync(schemasDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .map((file) => path.posix.join('schemas', file.split(path.sep).join('/')))
    .sort();
}

export interface SchemaDrift {
  /** Rendered files that are missing on disk or differ from it. */
  stale: string[];
  /** Files on disk that no registered event renders. */
  orphaned: string[];
}

export function findSchemaDrift(rendered = renderJsonSchemas()): SchemaDrift {
  const stale = [...rendered].filter(([file, text]) => readIfExists(file) !== text).map(([file]) => file);
  const orphaned = listSchemaFiles().filter((file) => !rendered.has(file));
  return { stale, orphaned };
}

function readIfExists(file: string): string | undefined {
  const absolute = path.join(contractsDir, file);
  return existsSync(absolute) ? readFileSync(absolute, 'utf8') : undefined;
}
