import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import MarkdownIt from 'markdown-it';

/** A link or image target found in a Markdown file. */
export interface MarkdownLink {
  target: string;
  /** 1-based line of the block the link is in; undefined for a reference definition. */
  line: number | undefined;
  kind: 'link' | 'image' | 'reference';
}

// CommonMark as GitHub reads it, minus raw HTML (an <a href> is not checked).
const markdown = new MarkdownIt('commonmark', { html: false });

/** Every link and image target of a document, including reference definitions, never those in code. */
export function markdownLinks(text: string): MarkdownLink[] {
  const env: MarkdownIt.Env = {};
  const links: MarkdownLink[] = [];
  for (const block of markdown.parse(text, env)) {
    if (block.type !== 'inline') continue;
    const line = block.map ? block.map[0] + 1 : undefined;
    for (const token of block.children ?? []) {
      // An autolink (<https://...>) is a link_open too; like any other absolute URL it is skipped later.
      if (token.type === 'link_open') links.push({ target: String(token.attrGet('href') ?? ''), line, kind: 'link' });
      if (token.type === 'image') links.push({ target: String(token.attrGet('src') ?? ''), line, kind: 'image' });
    }
  }
  for (const reference of Object.values(env.references ?? {})) links.push({ target: reference.href, line: undefined, kind: 'reference' });
  return links;
}

/**
 * The anchors GitHub gives a document's headings: the heading's text, lowercased, without punctuation
 * other than `-` and `_`, spaces turned into `-`; a repeated slug gets `-1`, `-2`, ...
 */
export function headingAnchors(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const tokens = markdown.parse(text, {});
  tokens.forEach((token, index) => {
    if (token.type !== 'heading_open') return;
    const inline = tokens[index + 1];
    const words = (inline?.children ?? [])
      .filter((child) => child.type === 'text' || child.type === 'code_inline')
      .map((child) => child.content)
      .join('');
    const base = githubSlug(words);
    let slug = base;
    let count = seen.get(base) ?? 0;
    while (anchors.has(slug)) slug = `${base}-${++count}`;
    seen.set(base, count);
    anchors.add(slug);
  });
  return anchors;
}

/** GitHub's heading slug (github-slugger): keeps letters, marks, digits, `_`, `-` and spaces; spaces become `-`. */
export function githubSlug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** Links whose target is not in the repository: problems, each naming the link. */
export function brokenLinks(repoRoot: string, file: string): string[] {
  const absolute = path.join(repoRoot, file);
  const problems: string[] = [];
  for (const link of markdownLinks(readFileSync(absolute, 'utf8'))) {
    const problem = checkTarget(repoRoot, absolute, link.target);
    if (problem === undefined) continue;
    const where = link.line === undefined ? `${file} (reference definition)` : `${file}:${link.line}`;
    problems.push(`${where}: ${link.kind} "${link.target}" ${problem}`);
  }
  return problems;
}

function checkTarget(repoRoot: string, fromFile: string, target: string): string | undefined {
  if (/^(https?:|mailto:)/i.test(target)) return undefined;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return 'is neither relative nor http(s)/mailto';
  if (target === '') return 'is empty';
  const hash = target.indexOf('#');
  const pathPart = (hash === -1 ? target : target.slice(0, hash)).replace(/\?.*$/, '');
  const fragment = hash === -1 ? undefined : decoded(target.slice(hash + 1));
  const resolved =
    pathPart === ''
      ? fromFile
      : path.resolve(pathPart.startsWith('/') ? repoRoot : path.dirname(fromFile), `.${path.sep}${decoded(pathPart)}`);
  const relative = path.relative(repoRoot, resolved);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) return 'leaves the repository';
  if (!existsSync(resolved)) return `names ${relative}, which does not exist`;
  if (fragment === undefined || fragment === '' || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return undefined;
  if (!headingAnchors(readFileSync(resolved, 'utf8')).has(fragment)) return `names #${fragment}, which is no heading of ${relative}`;
  return undefined;
}

/** markdown-it percent-encodes targets; a malformed escape is left as written (and then names nothing). */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** README.md, CONTRIBUTING.md and every Markdown file under docs/, relative to the repository root. */
export function documentationFiles(repoRoot: string): string[] {
  const files = ['README.md', 'CONTRIBUTING.md'];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(path.join(repoRoot, dir), { withFileTypes: true })) {
      const relative = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(relative);
      else if (entry.name.endsWith('.md')) files.push(relative);
    }
  };
  walk('docs');
  return files;
}
