import { execFile, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { builtinModules } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { DEFAULT_METRICS_PORT } from '@solar/chassis';
import { RUNTIME_MEMORY_ENV } from '@solar/chassis/testing';
import { type Instruction, instructionsOf, parseDockerfile, shellCommand, type Stage } from '../src/dockerfile';
import { loadServiceConfigs, repoRoot } from '../src/service-configs';

// There is no Docker engine here, so these checks stand in for `docker build`: everything that can go
// wrong without running the build (a COPY of a missing or ignored path, a CMD naming a file tsc does not
// emit, a root user, a build argument compose forgets) is checked offline, on the one Dockerfile built
// with each service's build arguments from docker-compose.yml, substituted as Docker does.

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

const dockerfileText = readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8');
const compose = parse(readFileSync(path.join(repoRoot, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, { build?: { args?: Record<string, string | number | boolean | null> } }>;
};

/** What `docker compose build` passes as --build-arg (an arg without a value comes from the shell: none here). */
function buildArgsOf(service: string): Record<string, string> {
  const args = Object.entries(compose.services[service]?.build?.args ?? {}).filter(([, value]) => value !== null);
  return Object.fromEntries(args.map(([name, value]) => [name, String(value)]));
}

/** The RUNs that stop the build on a bad build argument: the ones that `exit 1`. */
function guards(stages: Stage[]): Instruction[] {
  return stages.flatMap((stage) => instructionsOf(stage, 'RUN')).filter((run) => /\bexit 1\b/.test(run.args));
}

/**
 * Runs the guards as the build would, from the repository root (the build stage has the sources at
 * /app; the runtime stage has every manifest). They only test and print, so running them here is safe.
 */
function runGuards(buildArgs: Record<string, string>): { status: number | null; stderr: string }[] {
  return guards(parseDockerfile(dockerfileText, buildArgs).stages).map((run) => {
    expect(run.args).not.toMatch(/\b(npm|tsc|mkdir|rm|apt-get)\b/);
    const result = spawnSync('/bin/sh', ['-c', run.args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...Object.fromEntries(run.variables) },
      encoding: 'utf8',
    });
    return { status: result.status, stderr: result.stderr };
  });
}

describe('Dockerfile', () => {
  const { args } = parseDockerfile(dockerfileText);
  const required = [...args].filter(([, arg]) => !arg.hasDefault).map(([name]) => name);

  it('is the one Dockerfile: no service keeps its own', () => {
    expect(configs.filter(({ service }) => existsSync(path.join(repoRoot, 'services', service, 'Dockerfile')))).toEqual([]);
  });

  it('requires SERVICE and PORT, and defaults PORT_VARIABLE to PORT', () => {
    expect(required.sort()).toEqual(['PORT', 'SERVICE']);
    expect(parseDockerfile(dockerfileText, { SERVICE: 'web', PORT: '3004' }).stages.at(-1)?.env.get('PORT_VARIABLE')).toBe('PORT');
  });

  it('is built by docker-compose.yml with every build argument it requires, and none it does not declare', () => {
    for (const { service } of configs) {
      const passed = Object.keys(buildArgsOf(service));
      expect([service, required.filter((name) => !passed.includes(name))]).toEqual([service, []]);
      expect([service, passed.filter((name) => !args.has(name))]).toEqual([service, []]);
      expect([service, buildArgsOf(service).SERVICE]).toEqual([service, service]);
    }
  });

  // Every RUN after an ARG depends on its value: declared before them, the slow layers would be one per service.
  it('declares the build arguments after the layers every service shares (npm ci, tini)', () => {
    const { stages } = parseDockerfile(dockerfileText);
    const runsBeforeArgs = (stage: Stage) => {
      const firstArg = stage.instructions.findIndex((instruction) => instruction.keyword === 'ARG');
      return stage.instructions.slice(0, firstArg === -1 ? undefined : firstArg).filter((run) => run.keyword === 'RUN');
    };
    const build = stages.find((stage) => stage.name === 'build')!;
    expect(runsBeforeArgs(build).some((run) => run.args.startsWith('npm ci '))).toBe(true);
    expect(runsBeforeArgs(stages.at(-1)!).some((run) => /apt-get install .*\btini\b/.test(run.args))).toBe(true);
  });

  it("documents each service's docker build command line with the build arguments compose passes", () => {
    const architecture = readFileSync(path.join(repoRoot, 'docs', 'architecture.md'), 'utf8');
    for (const { service } of configs) {
      const buildArgs = Object.entries(buildArgsOf(service)).map(([name, value]) => `--build-arg ${name}=${value}`);
      expect(architecture).toContain(`\`docker build ${buildArgs.join(' ')} -t solar/${service} .\``);
    }
  });

  it('passes its guards with the build arguments compose gives each service', () => {
    for (const { service } of configs) {
      expect(runGuards(buildArgsOf(service)).map(({ status }) => status)).toEqual([0, 0]);
    }
  });

  it('fails the build, naming the build argument, when a required one is missing or names no service', () => {
    const identity = buildArgsOf('identity');
    const { SERVICE: _service, ...withoutService } = identity;
    const { PORT: _port, ...withoutPort } = identity;
    for (const [buildArgs, named] of [
      [withoutService, 'SERVICE'],
      [{ ...identity, SERVICE: 'chassis' }, 'SERVICE'],
      [{ ...identity, SERVICE: '../e2e' }, 'SERVICE'],
      [withoutPort, 'PORT'],
      [{ ...identity, PORT: 'http' }, 'PORT'],
    ] as const) {
      const failed = runGuards(buildArgs).filter(({ status }) => status !== 0);
      expect([buildArgs, failed.length > 0]).toEqual([buildArgs, true]);
      for (const { stderr } of failed) expect(stderr).toContain(named);
    }
    // Without a guard, Docker would go on with an empty string: the offline check sees that too.
    expect(parseDockerfile(dockerfileText, withoutService).unset).toEqual(expect.arrayContaining(['COPY in stage runtime: SERVICE']));
    expect(parseDockerfile(dockerfileText, withoutPort).unset).toEqual(expect.arrayContaining(['ENV in stage runtime: PORT']));
  });
});

describe.each(configs.map((config) => [config.service, config] as const))('Dockerfile built for %s', (service, config) => {
  const { stages, unset } = parseDockerfile(dockerfileText, buildArgsOf(service));
  const build = stages.find((stage) => stage.name === 'build');
  const runtime = stages.at(-1);

  it('uses no variable that the build arguments leave unset (Docker would make it empty)', () => {
    expect(unset).toEqual([]);
  });

  it('has a build stage and a separate runtime stage on node:24-bookworm-slim', () => {
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
    const runs = (stage: Stage) => instructionsOf(stage, 'RUN').map((run) => shellCommand(run.args, run.variables));
    expect(runs(build!).some((run) => run.includes(`tsc -b services/${service}`))).toBe(true);
    const install = runs(runtime!).find((run) => run.includes('npm ci'));
    expect(install).toContain('--omit=dev');
    expect(install).toContain(`--workspace=services/${service}`);
    // No sources and no compiler in the image: only compiled output and data/ come from the build stage.
    const fromContext = instructionsOf(runtime!, 'COPY').filter((copy) => !copy.flags.has('from'));
    expect(fromContext.flatMap((copy) => copy.words.slice(0, -1)).filter((source) => !/package(-lock)?\.json$/.test(source))).toEqual([]);
  });

  it('copies compiled output that the build stage produces, for the service and what it references', () => {
    const copied = instructionsOf(runtime!, 'COPY')
      .filter((copy) => copy.flags.get('from') === 'build')
      .map((copy) => copy.words[0] ?? '')
      .filter((source) => !source.endsWith('/data'));
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

  it("ships the service's data/ folder (files it reads at run time), which the build stage always has", () => {
    const dataDir = `services/${service}/data`;
    const copies = instructionsOf(runtime!, 'COPY').map((copy) => [copy.flags.get('from'), ...copy.words]);
    expect(copies).toContainEqual(['build', `/app/${dataDir}`, dataDir]);
    // The build stage has it from the sources it copies, or makes it (empty) so that the COPY works.
    const fromSources =
      existsSync(path.join(repoRoot, dataDir)) &&
      !dockerignored(dataDir) &&
      instructionsOf(build!, 'COPY').some((copy) => !copy.flags.has('from') && dataDir.startsWith(`${copy.words[0]}/`));
    const made = instructionsOf(build!, 'RUN').some((run) => shellCommand(run.args, run.variables).includes(`mkdir -p ${dataDir}`));
    expect(made || fromSources).toBe(true);
    if (existsSync(path.join(repoRoot, dataDir))) expect(fromSources).toBe(true);
  });

  // A missing NODE_ENV is production anyway; saying so in the image keeps it so whatever the chassis default.
  it('sets NODE_ENV=production in the runtime stage', () => {
    expect(runtime!.env.get('NODE_ENV')).toBe('production');
  });

  // The bench's service processes start with the same settings, so the memory they measure is the image's.
  it('starts with the memory settings the service processes of the tests and bench use', () => {
    for (const [name, value] of Object.entries(RUNTIME_MEMORY_ENV)) expect([name, runtime!.env.get(name)]).toEqual([name, value]);
  });

  it('runs as a numeric non-root user, under tini, the server.js that tsc emits', () => {
    const user = instructionsOf(runtime!, 'USER').at(-1)?.words[0] ?? '';
    expect(user).toMatch(/^\d+(:\d+)?$/);
    expect(Number(user.split(':')[0])).toBeGreaterThan(0);
    expect(instructionsOf(runtime!, 'RUN').some((run) => /apt-get install .*\btini\b/.test(run.args))).toBe(true);
    expect(instructionsOf(runtime!, 'ENTRYPOINT').at(-1)?.words).toEqual(['/usr/bin/tini', '--']);
    expect(containerCommand(runtime!)).toEqual(['node', `services/${service}/dist/src/server.js`]);
    // tsc (rootDir ".", outDir "dist") turns src/server.ts into dist/src/server.js.
    expect(existsSync(path.join(repoRoot, 'services', service, 'src', 'server.ts'))).toBe(true);
    const tsconfig = JSON.parse(readFileSync(path.join(repoRoot, 'services', service, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: { rootDir: string; outDir: string };
    };
    expect(tsconfig.compilerOptions).toMatchObject({ rootDir: '.', outDir: 'dist' });
  });

  it('sets and exposes the port the service listens on by default (API, then metrics)', () => {
    expect(runtime!.env.get(config.port.variable)).toBe(String(config.port.default));
    expect(instructionsOf(runtime!, 'EXPOSE').flatMap((expose) => expose.words)).toEqual([
      String(config.port.default),
      String(DEFAULT_METRICS_PORT),
    ]);
  });

  it('health-checks /readyz on the port the service reads from its port variable', async () => {
    const [node, ...options] = instructionsOf(runtime!, 'HEALTHCHECK').at(-1)?.words.slice(1) ?? [];
    expect(node).toBe('node');
    const requests: string[] = [];
    const server = createServer((request, response) => {
      requests.push(request.url ?? '');
      response.writeHead(requests.length === 1 ? 200 : 503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      // The image's environment, with the port moved where this test listens: the check must follow it.
      const env = { ...Object.fromEntries(runtime!.env), [config.port.variable]: String((server.address() as AddressInfo).port) };
      const run = () => new Promise<number | null>((resolve) => execFile(process.execPath, options, { env }).on('exit', resolve));
      expect(await run()).toBe(0);
      expect(await run()).toBe(1);
      expect(requests).toEqual(['/readyz', '/readyz']);
    } finally {
      server.close();
    }
  });
});

/** What the container runs by default (CMD, through `sh -c` when it is), as its environment makes it. */
function containerCommand(stage: Stage): string[] {
  const command = instructionsOf(stage, 'CMD').at(-1)?.words ?? [];
  if (command[0] !== 'sh' || command[1] !== '-c') return command;
  const unset: string[] = [];
  const script = shellCommand(command[2] ?? '', stage.env, (name) => unset.push(name));
  expect(unset).toEqual([]);
  return script.split(/\s+/).filter((word, index) => !(index === 0 && word === 'exec'));
}

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
