// ESLint (flat config): typescript-eslint's type-aware rules, and the architecture's import
// boundaries as rules (`npm run lint`, a step of `npm test`). TypeScript files only; the few .js/.mjs
// files are configuration.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const SERVICES = ['identity', 'notification', 'lifecycle', 'gateway', 'web'];

// Deepest folder nesting below a package's root that the boundary blocks cover (services/x/src/a/b
// is 2 below src); a file deeper than this gets only the package-name rules, so keep it generous.
const MAX_DEPTH = 8;

const DIST = {
  regex: '^(@solar/[^/]+/|\\.{1,2}/(.*/)?)dist(/|$)',
  message:
    "A package's dist/ is its build output, not its interface: it is absent until `tsc -b`, stale until the next build, and exposes internals the package never exported. Import the package's source (relative, inside a package) or its public entry (`@solar/<name>`, `@solar/chassis/testing`).",
};

/**
 * The rules of one part of the repository, as `no-restricted-imports` options. ESLint replaces (does
 * not merge) a rule's options when a later block matches the same file, so every block carries the
 * whole set for its files: the package names they may not import, dist/, and relative paths that
 * climb out of their package.
 */
function restrictions({ packagePatterns, escape }) {
  return ['error', { patterns: [...packagePatterns, DIST, escape].filter(Boolean) }];
}

/**
 * A relative path climbs out of its package once it has more `../` than the file is deep below the
 * package root; only the import string is matched, so the depth is fixed by the block's file glob.
 * One block per depth, for files at `${root}/${sub}` plus `depth` folders.
 */
function boundaryBlocks({ name, root, sub = '', packagePatterns, escape }) {
  const base = sub ? `${root}/${sub}` : root;
  const subDepth = sub ? sub.split('/').length : 0;
  return Array.from({ length: MAX_DEPTH + 1 }, (_, depth) => {
    const climbs = subDepth + depth + 1;
    return {
      name: `boundaries/${name}/depth-${depth}`,
      files: [`${base}/${'*/'.repeat(depth)}*.ts`],
      rules: {
        'no-restricted-imports': restrictions({
          packagePatterns,
          escape: escape && { regex: `^(\\.\\./){${climbs}}${escape.allowed ?? ''}`, message: escape.message },
        }),
      },
    };
  });
}

const otherServices = (self) => SERVICES.filter((service) => service !== self);

const servicePackages = (services, message) => ({ group: services.map((service) => `@solar/${service}`), message });

const boundaries = [
  ...boundaryBlocks({
    name: 'contracts',
    root: 'contracts',
    packagePatterns: [
      {
        regex: '^@solar/',
        message:
          'contracts/ is the shared language of events and HTTP APIs that every package depends on: it depends on nothing of ours, or a change to a service or the chassis would change the contracts under every other service.',
      },
    ],
    escape: {
      message:
        'contracts/ depends on nothing of ours: a relative path out of contracts/ makes the contracts depend on the code they describe.',
    },
  }),
  ...boundaryBlocks({
    name: 'chassis',
    root: 'services/chassis',
    packagePatterns: [
      servicePackages(
        SERVICES,
        'The chassis is the runtime every service builds on: importing a service would make it depend on one of its users (a cycle) and carry that service into all the others.',
      ),
    ],
    escape: {
      message:
        'The chassis reaches other code only through package names (`@solar/contracts`): a relative path out of services/chassis/ bypasses the package boundary (and into a service would make the chassis depend on one of its users).',
    },
  }),
  ...SERVICES.flatMap((service) =>
    boundaryBlocks({
      name: service,
      root: `services/${service}`,
      packagePatterns: [
        servicePackages(
          otherServices(service),
          'Services are deployed and scaled on their own and talk only through Kafka events and HTTP, both described in @solar/contracts: importing another service couples their code and releases. Tests that run several services together belong in e2e/.',
        ),
      ],
      escape: {
        message: `A relative path out of services/${service}/ reaches another package's files: another service is never imported (services talk through events and HTTP in @solar/contracts), and the chassis and contracts are imported by package name (\`@solar/chassis\`, \`@solar/contracts\`).`,
      },
    }),
  ),
  ...boundaryBlocks({
    name: 'tools',
    root: 'tools',
    packagePatterns: [
      {
        regex: '^@solar/(?!contracts$|chassis(/|$))',
        message:
          'tools/ checks the repository against the contracts and the chassis (the shared config and ports): it imports only @solar/contracts and @solar/chassis, never a service, so a service can change its insides without breaking the checks.',
      },
    ],
    escape: {
      // The checks read contracts' test samples (contracts/test/samples.ts), which no package exports.
      allowed: '(?!contracts/|services/chassis/)',
      message:
        'tools/ may reach only contracts/ and services/chassis/ by path: never a service, so a service can change its insides without breaking the checks.',
    },
  }),
  // The system tests: the one workspace that starts several services together, so it may import all
  // of them, through their package names.
  ...boundaryBlocks({
    name: 'e2e',
    root: 'e2e',
    packagePatterns: [],
    escape: {
      message:
        'e2e/ uses the services as packages (`@solar/identity`, `@solar/chassis/testing`): a relative path into a package reaches files it never exported.',
    },
  }),
];

export default defineConfig(
  {
    name: 'ignores',
    // Build output, dependencies, local state, vendored upstream files; and JavaScript, which is
    // configuration only here (the rules below are for TypeScript).
    ignores: ['**/dist/**', '**/node_modules/**', '**/.local/**', 'tools/vendor/**', '**/*.{js,cjs,mjs}'],
  },
  {
    name: 'typescript',
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // Each file is type-checked with the tsconfig.json of its workspace, the one `tsc -b` uses.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // From strictTypeChecked / stylisticTypeChecked, the ones the code already keeps to.
      // `require('./main') as typeof import('./main')` is how a deferred require is typed (below).
      '@typescript-eslint/consistent-type-imports': ['error', { disallowTypeAnnotations: false, fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/prefer-promise-reject-errors': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unnecessary-type-assertion': 'error',

      // House style, tuned:
      // The build is CommonJS; require() is how a module is loaded late on purpose (bootstrap starts
      // telemetry before the service's modules load; optional SDKs load only when configured).
      '@typescript-eslint/no-require-imports': 'off',
      // An async callback is how the code meets a Promise-returning interface (health checks,
      // kafkajs's eachMessage, test fakes) whose body may throw: async turns the throw into a rejection.
      '@typescript-eslint/require-await': 'off',
      // A leading underscore marks a name left unused on purpose (a property dropped by destructuring).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    name: 'typescript/tests',
    files: ['**/*.test.ts', '**/test/**/*.ts', 'e2e/**/*.ts'],
    // Tests meet `any` that is not ours: Jest's asymmetric matchers (expect.any(String)), supertest's
    // response.body, JSON.parse and raw MongoDB documents; the assertion is what checks their shape.
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  ...boundaries,
);
