/**
 * Security review finding 10, against the real service factory: a deployment that forgets NODE_ENV
 * (say, a manifest written by hand) used to run with development's leniency: email links over http,
 * and a signing key generated on the spot into a local file instead of the operator's keys. A missing
 * NODE_ENV is now production, and the service refuses to start, naming the variable to fix.
 */
import { ConfigError } from '@solar/chassis';
import { createIdentityService } from '../src/main';
import { identityTestEnv } from './identity-test-env';

const { env } = identityTestEnv('identity-node-env');
const { NODE_ENV: _forgotten, ...deployed } = env;

const startProblems = (variables: typeof env): string[] => {
  try {
    createIdentityService(variables);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('identity without NODE_ENV', () => {
  it('refuses an http APP_URL, naming it', () => {
    expect(startProblems({ ...deployed, APP_URL: 'http://accounts.example.com' })).toEqual([
      expect.stringMatching(/^APP_URL: must be an https:\/\/ URL when NODE_ENV is production/),
    ]);
    // Not even on localhost: that exception is for development and test only.
    expect(startProblems({ ...deployed, APP_URL: 'http://127.0.0.1:8080' })).toEqual([expect.stringMatching(/^APP_URL: /)]);
  });

  it('refuses to start without signing keys rather than generating development ones', () => {
    const { JWT_SIGNING_KEYS: _keys, ...withoutKeys } = deployed;
    expect(startProblems(withoutKeys)).toEqual([expect.stringMatching(/^JWT_SIGNING_KEYS: is required outside development/)]);
  });

  it('still accepts http on localhost where the tests and npm start say development or test', () => {
    expect(startProblems({ ...env, APP_URL: 'http://127.0.0.1:8080' })).toEqual([]);
  });
});
