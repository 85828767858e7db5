import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brokenLinks, documentationFiles, githubSlug, headingAnchors, markdownLinks } from '../src/markdown-links';
import { repoRoot } from '../src/service-configs';

describe('links in the documentation', () => {
  const files = documentationFiles(repoRoot);

  it('covers README.md, CONTRIBUTING.md and docs/', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'docs/README.md']));
  });

  it.each(files)('%s: every relative link and #anchor names something in the repository', (file) => {
    expect(brokenLinks(repoRoot, file)).toEqual([]);
  });

  it('README.md stays a front door: 120 lines at most', () => {
    const lines = readFileSync(path.join(repoRoot, 'README.md'), 'utf8').replace(/\n$/, '').split('\n').length;
    expect(lines).toBeLessThanOrEqual(120);
  });
});

describe('the link checker', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'links-'));
    mkdirSync(path.join(root, 'docs'));
    writeFileSync(path.join(root, 'docs', 'other.md'), '# Other\n\n## Set-up & use\n\n## Set-up & use\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  function problems(text: string): string[] {
    writeFileSync(path.join(root, 'docs', 'page.md'), text);
    return brokenLinks(root, 'docs/page.md');
  }

  it('accepts links to files, folders and headings that exist, and URLs', () => {
    const text = [
      '# Page',
      '## `npm test` (CI)',
      '[a](other.md) [b](other.md#set-up--use-1) [c](#npm-test-ci) [d](../docs/) [e](/docs/other.md)',
      '[f](https://example.com/missing) [g](mailto:a@example.com) ![h](other.md)',
      '[i][ref]',
      '',
      '[ref]: other.md#other',
    ].join('\n');
    expect(problems(text)).toEqual([]);
  });

  it('names a missing file, a missing anchor and a link out of the repository', () => {
    const text = ['# Page', '[a](missing.md) [b](other.md#nowhere)', '', '[c](#page-2) ![d](../../outside.png)', '', '[ref]: gone/'].join(
      '\n',
    );
    expect(problems(text)).toEqual([
      'docs/page.md:2: link "missing.md" names docs/missing.md, which does not exist',
      'docs/page.md:2: link "other.md#nowhere" names #nowhere, which is no heading of docs/other.md',
      'docs/page.md:4: link "#page-2" names #page-2, which is no heading of docs/page.md',
      'docs/page.md:4: image "../../outside.png" leaves the repository',
      'docs/page.md (reference definition): reference "gone/" names docs/gone, which does not exist',
    ]);
  });

  it('ignores what is in code spans and fenced code blocks', () => {
    expect(markdownLinks('`[a](missing.md)`\n\n```\n[b](missing.md)\n```\n')).toEqual([]);
  });

  it('makes the anchors GitHub makes', () => {
    expect(githubSlug('Against peers: `npm run bench:peers`')).toBe('against-peers-npm-run-benchpeers');
    expect(githubSlug('Deletion and the account cleanups (identity)')).toBe('deletion-and-the-account-cleanups-identity');
    expect(githubSlug('snake_case and 🔒 émoji')).toBe('snake_case-and--émoji');
    expect([...headingAnchors('# A\n\n# A\n\n# A\n\n```\n# A\n```\n')]).toEqual(['a', 'a-1', 'a-2']);
  });
});
