// The chaos suite (services/gateway/chaos/*.chaos.test.ts): stops and starts servers, so it runs only
// through `npm run test:chaos`, in band, against the chaos profile's servers (scripts/chaos.sh).
const base = require('./jest.config');

const gateway = base.projects.find((project) => project.displayName === 'gateway');

module.exports = {
  projects: [{ ...gateway, displayName: 'chaos', testMatch: ['<rootDir>/chaos/**/*.chaos.test.ts'] }],
  testTimeout: 180_000,
};
