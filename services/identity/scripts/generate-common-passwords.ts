/*
 * Writes data/common-passwords.txt: the 10,000 most common passwords, one a line, lowercase, most
 * common first. Run from the repository root: `npx tsx services/identity/scripts/generate-common-passwords.ts`.
 *
 * Source: the `passwords` frequency list of zxcvbn 4.4.2 (lib/frequency_lists.js, in rank order),
 * Copyright (c) 2012-2016 Dan Wheeler and Dropbox, Inc., MIT licence
 * (https://github.com/dropbox/zxcvbn/blob/master/LICENSE.txt). The generated file is committed, so
 * zxcvbn is a development dependency only: pinned, so the list changes only when someone means it to.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const COUNT = 10_000;

const lists = require('zxcvbn/lib/frequency_lists.js') as { passwords: string[] };
const top = lists.passwords.slice(0, COUNT).map((password) => password.toLowerCase());
if (top.length !== COUNT || new Set(top).size !== COUNT) throw new Error(`expected ${COUNT} distinct passwords, got ${new Set(top).size}`);
if (top.some((password) => /[\r\n]/.test(password))) throw new Error('a password contains a line break');

const target = path.resolve(__dirname, '../data/common-passwords.txt');
writeFileSync(target, `${top.join('\n')}\n`);
console.log(`wrote ${COUNT} passwords to ${target}`);
