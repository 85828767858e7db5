import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readEnvExample } from '../src/config-reference';
import { loadServiceConfigs, repoRoot } from '../src/service-configs';

const configs = loadServiceConfigs();
const reference = readFileSync(path.join(repoRoot, 'docs', 'configuration.md'), 'utf8');

/** The table row of a variable, split into its cells (variable, one per service, description). */
function rowOf(name: string): string[] | undefined {
  const line = reference.split('\n').find((text) => text.startsWith(`| \`${name}\``));
  return line
    ?.split(/(?<!\\)\|/)
    .slice(1, -1)
    .map((text) => text.trim());
}

describe('docs/configuration.md', () => {
  it('finds a config schema for every deployable service', () => {
    expect(configs.map((config) => config.service)).toEqual(expect.arrayContaining(['gateway', 'identity', 'lifecycle', 'notification']));
  });

  it.each(configs.map((config) => [config.service, config] as const))(
    'lists every variable the %s schema reads, with its default',
    (_service, config) => {
      const header = reference
        .split('\n')
        .find((line) => line.startsWith('| variable '))
        ?.split('|')
        .map((text) => text.trim());
      const column = header?.indexOf(config.service) ?? -1;
      expect(column).toBeGreaterThan(0);
      const missing: string[] = [];
      for (const variable of config.variables) {
        const cells = rowOf(variable.name);
        const value = cells?.[column - 1] ?? '';
        if (value === '') missing.push(variable.name);
        else if (!variable.optional) expect(value).toBe('**required**');
        else if (variable.default) expect(value).toContain(variable.default.replace(/\|/g, '\\|'));
      }
      expect(missing).toEqual([]);
    },
  );

  it('describes every variable (a comment in .env.example or a description in the schema)', () => {
    const undescribed = configs
      .flatMap((config) => config.variables.map((variable) => variable.name))
      .filter((name) => (rowOf(name)?.at(-1) ?? '') === '');
    expect([...new Set(undescribed)]).toEqual([]);
  });
});

describe('.env.example', () => {
  it('names every variable the config schemas read', () => {
    const listed = readEnvExample();
    const missing = configs.flatMap((config) =>
      config.variables.filter((variable) => !listed.has(variable.name)).map((v) => `${config.service}: ${v.name}`),
    );
    expect(missing).toEqual([]);
  });
});
