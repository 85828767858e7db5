import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Reads data/common-passwords.txt from the identity package, found from here whether this runs as
 * source (tests) or compiled under dist/. A missing or truncated file stops the start: a policy
 * quietly running without its list would accept "password123".
 */
export function loadCommonPasswords(file = defaultFile()): Set<string> {
  const list = new Set(
    readFileSync(file, 'utf8')
      .split('\n')
      .map((line) => line.trim().toLowerCase())
      .filter((line) => line.length > 0),
  );
  if (list.size < 10_000) throw new Error(`${file} holds ${list.size} passwords; expected 10,000`);
  return list;
}

function defaultFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return path.join(dir, 'data', 'common-passwords.txt');
    if (path.dirname(dir) === dir) throw new Error('the identity package root (with data/common-passwords.txt) was not found');
  }
}
