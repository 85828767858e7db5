// The chaos suite (e2e/chaos/*.chaos.test.ts): stops and starts servers, so it runs only
// through `npm run test:chaos`, in band, against the chaos profile's servers (scripts/chaos.sh).
const base = require('./jest.config');

const e2e = base.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  projects: [{ ...e2e, displayName: 'chaos', testMatch: ['<rootDir>/chaos/**/*.chaos.test.ts'] }],
  testTimeout: 180_000,
};
