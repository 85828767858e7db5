import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { DEFAULT_METRICS_PORT } from '@solar/chassis';
import { instructionsOf, parseDockerfile, type Stage } from '../src/dockerfile';
import { loadServiceConfigs, repoRoot } from '../src/service-configs';

// There is no Docker engine here, so these checks stand in for `docker build`: everything that can go
// wrong without running the build (a COPY of a missing or ignored path, a CMD naming a file tsc does not
// emit, a root user) is checked offline.

const configs = loadServiceConfigs();
const rootPackage = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { workspaces: string[] };

function dockerignored(file: string): boolean {
  const patterns = readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const parts = file.split('/');
  const prefixes = parts.map((_part, index) => parts.slice(0, index + 1).join('/'));
  return patterns.some((pattern) => {
    const regex = new RegExp(
      `^${pattern
        .replace(/^\//, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*\//g, '\u0000')
        .replace(/\*/g, '[^/]*')
        // eslint-disable-next-line no-control-regex -- NUL stands in for `**/`: no path contains it
        .replace(/\u0000/g, '(?:.*/)?')}$`,
    );
    return prefixes.some((prefix) => regex.test(prefix));
  });
}

/** Project folders tsc -b builds for a service: it and everything its tsconfig references, transitively. */
function builtProjects(project: string, seen = new Set<string>()): Set<string> {
  if (seen.has(project)) return seen;
  seen.add(project);
  const tsconfig = JSON.parse(readFileSync(path.join(repoRoot, project, 'tsconfig.json'), 'utf8')) as {
    references?: { path: string }[];
  };
  for (const reference of tsconfig.references ?? []) builtProjects(path.posix.normalize(path.posix.join(project, reference.path)), seen);
  return seen;
}

describe.each(configs.map((config) => [config.service, config] as const))('services/%s/Dockerfile', (service, config) => {
  const file = path.join(repoRoot, 'services', service, 'Dockerfile');
  const stages: Stage[] = existsSync(file) ? parseDockerfile(readFileSync(file, 'utf8')) : [];
  const build = stages.find((stage) => stage.name === 'build');
  const runtime = stages.at(-1);

  it('exists, with a build stage and a separate runtime stage on node:24-bookworm-slim', () => {
    expect(existsSync(file)).toBe(true);
    expect(stages.map((stage) => stage.image)).toEqual(stages.map(() => 'node:24-bookworm-slim'));
    expect(build).toBeDefined();
    expect(runtime).not.toBe(build);
  });

  it('copies only paths that exist in the build context and that .dockerignore lets through', () => {
    const sources = stages.flatMap((stage) =>
      instructionsOf(stage, 'COPY')
        .filter((copy) => !copy.flags.has('from'))
        .flatMap((copy) => copy.words.slice(0, -1)),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources.filter((source) => !existsSync(path.join(repoRoot, source)))).toEqual([]);
    expect(sources.filter((source) => dockerignored(source.replace(/\/$/, '')))).toEqual([]);
  });

  it('gives npm ci every workspace manifest and the lockfile (npm ci checks them all)', () => {
    for (const stage of [build!, runtime!]) {
      const copied = instructionsOf(stage, 'COPY').flatMap((copy) => copy.words.slice(0, -1));
      expect(copied).toEqual(
        expect.arrayContaining(['package.json', 'package-lock.json', ...rootPackage.workspaces.map((dir) => `${dir}/package.json`)]),
      );
    }
  });

  it('builds the service with tsc -b and installs only its production dependencies in the runtime stage', () => {
    expect(instructionsOf(build!, 'RUN').some((run) => run.args.includes(`tsc -b services/${service}`))).toBe(true);
    const install = instructionsOf(runtime!, 'RUN').find((run) => run.args.includes('npm ci'));
    expect(install?.args).toContain('--omit=dev');
    expect(install?.args).toContain(`--workspace=services/${service}`);
    // No sources and no compiler in the image: only compiled output comes from the build stage.
    const fromContext = instructionsOf(runtime!, 'COPY').filter((copy) => !copy.flags.has('from'));
    expect(
      fromContext.flatMap((copy) => copy.words.slice(0, -1)).filter((source) => !/(package(-lock)?\.json|\/data)$/.test(source)),
    ).toEqual([]);
  });

  it('copies compiled output that the build stage produces, for the service and what it references', () => {
    const copied = instructionsOf(runtime!, 'COPY')
      .filter((copy) => copy.flags.get('from') === 'build')
      .map((copy) => copy.words[0] ?? '');
    const projects = builtProjects(`services/${service}`);
    for (const source of copied) {
      const match = /^\/app\/(.+)\/dist\/src$/.exec(source);
      expect(match).not.toBeNull();
      const project = match![1]!;
      expect(projects.has(project)).toBe(true);
      expect(existsSync(path.join(repoRoot, project, 'src'))).toBe(true);
    }
    // Every runtime dependency among the workspaces is there: the service, the chassis, the contracts.
    expect(copied.map((source) => source.replace(/^\/app\/|\/dist\/src$/g, '')).sort()).toEqual(
      [...projects].filter((project) => ['contracts', 'services/chassis', `services/${service}`].includes(project)).sort(),
    );
  });

  it('ships the files the service reads at run time (data/)', () => {
    const dataDir = `services/${service}/data`;
    if (!existsSync(path.join(repoRoot, dataDir))) return;
    const copied = instructionsOf(runtime!, 'COPY').flatMap((copy) => copy.words.slice(0, -1));
    expect(copied).toContain(dataDir);
  });

  // A missing NODE_ENV is production anyway; saying so in the image keeps it so whatever the chassis default.
  it('sets NODE_ENV=production in the runtime stage', () => {
    expect(instructionsOf(runtime!, 'ENV').map((env) => env.args)).toContain('NODE_ENV=production');
  });

  it('runs as a numeric non-root user, under tini, the server.js that tsc emits', () => {
    const user = instructionsOf(runtime!, 'USER').at(-1)?.words[0] ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    expect(instructionsOf(runtime!, 'RUN').some((run) => /apt-get install .*\btini\b/.test(run.args))).toBe(true);
    expect(instructionsOf(runtime!, 'ENTRYPOINT').at(-1)?.words).toEqual(['/usr/bin/tini', '--']);
    const command = instructionsOf(runtime!, 'CMD').at(-1)?.words ?? [];
    expect(command).toEqual(['node', `services/${service}/dist/src/server.js`]);
    // tsc (rootDir ".", outDir "dist") turns src/server.ts into dist/src/server.js.
    expect(existsSync(path.join(repoRoot, 'services', service, 'src', 'server.ts'))).toBe(true);
    const tsconfig = JSON.parse(readFileSync(path.join(repoRoot, 'services', service, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: '.', outDir: 'dist' });
  });

  it('exposes the ports the service listens on by default (API, then metrics) and health-checks the API', () => {
    expect(instructionsOf(runtime!, 'EXPOSE').flatMap((expose) => expose.words)).toEqual([
      String(config.port.default),
      String(DEFAULT_METRICS_PORT),
    ]);
    expect(instructionsOf(runtime!, 'HEALTHCHECK').at(-1)?.args).toContain(`:${config.port.default}/readyz`);
  });
});

describe('.dockerignore', () => {
  it('keeps dependencies, build output, local state and git history out of the build context', () => {
    for (const file of ['node_modules', 'services/identity/node_modules', 'services/identity/dist', '.local', '.git', '.env']) {
      expect([file, dockerignored(file)]).toEqual([file, true]);
    }
    expect(dockerignored('services/identity/data/common-passwords.txt')).toBe(false);
  });
});

describe('production dependencies', () => {
  /** Bare module specifiers a package's runtime code loads (type-only imports and tests excluded). */
  function runtimeImports(project: string): Set<string> {
    const dir = path.join(repoRoot, project, 'src');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.test.ts') && !file.startsWith(`testing${path.sep}`),
    );
    const specifiers = new Set<string>();
    for (const file of files) {
      const text = readFileSync(path.join(dir, file), 'utf8');
      const patterns = [
        /^\s*(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'([^']+)'/gm,
        /^\s*import\s+'([^']+)'/gm,
        /\b(?:require|import)\(\s*'([^']+)'\s*\)/g,
      ];
      for (const pattern of patterns) for (const match of text.matchAll(pattern)) specifiers.add(match[1]!);
    }
    return new Set(
      [...specifiers]
        .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
        .map((specifier) =>
          specifier
            .split('/')
            .slice(0, specifier.startsWith('@') ? 2 : 1)
            .join('/'),
        ),
    );
  }

  // The images install only `dependencies` (npm ci --omit=dev): a module the code loads that is only a
  // devDependency works in tests and crashes the container.
  it.each(['contracts', 'services/chassis', ...configs.map((config) => `services/${config.service}`)])(
    '%s lists every module its runtime code loads under dependencies',
    (project) => {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, project, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      const missing = [...runtimeImports(project)].filter((name) => !(name in (manifest.dependencies ?? {})));
      expect(missing).toEqual([]);
    },
  );
});
