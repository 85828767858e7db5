// One Jest project per workspace; TypeScript is transpiled only (tsc -b type-checks before tests run).
const path = require('node:path');

const workspaces = [
  'contracts',
  'services/chassis',
  'services/identity',
  'services/notification',
  'services/lifecycle',
  'services/gateway',
  'services/web',
  // The whole system: several services together (and the benchmarks' own unit tests).
  'e2e',
  // Not an npm workspace: the checks of docker-compose.yml, deploy/, the Dockerfiles and the generated docs.
  'tools',
];

function project(dir) {
  return {
    displayName: path.basename(dir),
    rootDir: path.join(__dirname, dir),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/{src,test,bench}/**/*.test.ts'],
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, dir, 'tsconfig.json') }],
      // ESM-only packages (jose, agenda, otplib's plugins and their @noble/@scure dependencies, oidc-provider, openid-client) become CommonJS for Jest's module system.
      '^.+\\.js$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', target: 'es2022', isolatedModules: true } }],
    },
    transformIgnorePatterns: [
      '/node_modules/(?!(jose|agenda|@agendajs|otplib|@otplib|@noble|@scure|oidc-provider|oauth4webapi|openid-client)/)',
    ],
    moduleNameMapper: {
      '^@solar/contracts$': path.join(__dirname, 'contracts/src/index.ts'),
      '^@solar/chassis$': path.join(__dirname, 'services/chassis/src/index.ts'),
      '^@solar/chassis/testing$': path.join(__dirname, 'services/chassis/src/testing/index.ts'),
      '^@solar/(identity|notification|lifecycle|gateway|web)$': path.join(__dirname, 'services/$1/src/main.ts'),
    },
  };
}

module.exports = {
  projects: workspaces.map(project),
  testTimeout: 60_000,
};
