import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@solar/chassis';
import { IdentityConfig, RETIRED_IDENTITY_VARIABLES, relyingParty } from './config';

// Development: the defaults below are development's (production also needs signing keys and an https APP_URL).
const valid = {
  NODE_ENV: 'development',
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGO_URL: 'mongodb://127.0.0.1:27017/identity',
  DATA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
  EMAIL_LINK_KEYS: `l1:${randomBytes(32).toString('base64')}`,
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(IdentityConfig, env, RETIRED_IDENTITY_VARIABLES);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('identity configuration', () => {
  it("binds passkeys to APP_URL's host and origin unless told otherwise", () => {
    const config = loadConfig(IdentityConfig, {
      ...valid,
      APP_URL: 'https://accounts.solar.example',
      WEBAUTHN_RP_ID: '',
      WEBAUTHN_ORIGINS: '',
    });
    expect(relyingParty(config)).toEqual({
      id: 'accounts.solar.example',
      name: 'Solar Intelligence',
      origins: ['https://accounts.solar.example'],
    });
    const wider = loadConfig(IdentityConfig, {
      ...valid,
      WEBAUTHN_RP_ID: 'solar.example',
      WEBAUTHN_ORIGINS: 'https://accounts.solar.example, https://solar.example,android:apk-key-hash:abc',
    });
    expect(relyingParty(wider).origins).toEqual(['https://accounts.solar.example', 'https://solar.example', 'android:apk-key-hash:abc']);
  });

  it('refuses a passkey origin outside the relying party id, which no browser would let use it', () => {
    expect(problemsOf({ ...valid, WEBAUTHN_RP_ID: 'solar.example', WEBAUTHN_ORIGINS: 'https://solar.example.evil.test' })).toEqual([
      'WEBAUTHN_ORIGINS: https://solar.example.evil.test is not on the relying party id solar.example (WEBAUTHN_RP_ID)',
    ]);
  });

  it('refuses REFRESH_TOKEN_TTL, which it no longer reads, naming SESSION_IDLE_TIMEOUT', () => {
    expect(problemsOf({ ...valid, REFRESH_TOKEN_TTL: '30d' })).toEqual([
      expect.stringMatching(/^REFRESH_TOKEN_TTL: is no longer read; set SESSION_IDLE_TIMEOUT instead/),
    ]);
    expect(problemsOf({ ...valid, REFRESH_TOKEN_TTL: '30d', PORT: 'x' })).toHaveLength(2);
  });

  it('starts from the four required variables, with the documented defaults', () => {
    expect(loadConfig(IdentityConfig, valid)).toMatchObject({
      PORT: 3001,
      EMAIL_VERIFICATION_TTL: 86_400_000,
      TRUST_PROXY: 'false',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
    });
  });

  it('names every missing variable at once', () => {
    const problems = problemsOf({});
    expect(problems.map((p) => p.split(':')[0])).toEqual(
      expect.arrayContaining(['KAFKA_BROKERS', 'MONGO_URL', 'DATA_ENCRYPTION_KEYS', 'EMAIL_LINK_KEYS']),
    );
  });

  it.each([
    ['a key that is not 32 bytes', `k1:${randomBytes(16).toString('base64')}`, /32 bytes/],
    ['a key without an id', randomBytes(32).toString('base64'), /<id>:<base64 key>/],
  ])('refuses %s, naming DATA_ENCRYPTION_KEYS', (_label, keys, message) => {
    const [problem] = problemsOf({ ...valid, DATA_ENCRYPTION_KEYS: keys });
    expect(problem).toMatch(/^DATA_ENCRYPTION_KEYS: /);
    expect(problem).toMatch(message);
    expect(problem).not.toContain(keys);
  });

  // Security review finding 3: the links on the topic are sealed with a key of their own.
  it('refuses to start without EMAIL_LINK_KEYS in production, naming it', () => {
    const { EMAIL_LINK_KEYS: _unset, ...withoutLinkKeys } = valid;
    const production = { ...withoutLinkKeys, NODE_ENV: 'production', APP_URL: 'https://app.example.com', JWT_SIGNING_KEYS: '{"keys":[]}' };
    expect(problemsOf(production)).toEqual([expect.stringMatching(/^EMAIL_LINK_KEYS: is required/)]);
  });

  it.each([
    ['the data key', (data: string) => data],
    ['the data key under another id', (data: string) => `l9:${data.split(':')[1]!}`],
    ['a ring that holds the data key as an older key', (data: string) => `l2:${randomBytes(32).toString('base64')},${data}`],
  ])('refuses EMAIL_LINK_KEYS equal to %s, naming the variable', (_label, linkKeys) => {
    const problems = problemsOf({ ...valid, EMAIL_LINK_KEYS: linkKeys(valid.DATA_ENCRYPTION_KEYS) });
    expect(problems).toEqual([expect.stringMatching(/^EMAIL_LINK_KEYS: key "\w+" is also in DATA_ENCRYPTION_KEYS/)]);
    expect(problems.join()).not.toContain(valid.DATA_ENCRYPTION_KEYS.split(':')[1]);
  });

  it('refuses a database URL of another scheme and a duration it cannot read', () => {
    const problems = problemsOf({ ...valid, MONGO_URL: 'postgres://x', EMAIL_VERIFICATION_TTL: 'one day' });
    expect(problems).toEqual([expect.stringMatching(/^MONGO_URL: /), expect.stringMatching(/^EMAIL_VERIFICATION_TTL: /)]);
  });

  it('keeps the refresh reuse grace short: 5s by default, refused past a minute', () => {
    expect(loadConfig(IdentityConfig, valid).REFRESH_REUSE_GRACE).toBe(5_000);
    expect(loadConfig(IdentityConfig, { ...valid, REFRESH_REUSE_GRACE: '60s' }).REFRESH_REUSE_GRACE).toBe(60_000);
    expect(problemsOf({ ...valid, REFRESH_REUSE_GRACE: '61s' })).toEqual([
      expect.stringMatching(/^REFRESH_REUSE_GRACE: must be at most 60s/),
    ]);
  });

  it('keeps the account cleanups at their documented defaults, with the inactivity review off', () => {
    expect(loadConfig(IdentityConfig, valid)).toMatchObject({
      DELETION_GRACE_PERIOD: 30 * 86_400_000,
      UNVERIFIED_ACCOUNT_MAX_AGE: 30 * 86_400_000,
      INACTIVE_ACCOUNT_AFTER: null,
      INACTIVE_ACCOUNT_WARNING_PERIOD: 14 * 86_400_000,
      AUDIT_LOG_RETENTION: 400 * 86_400_000,
    });
    expect(loadConfig(IdentityConfig, { ...valid, INACTIVE_ACCOUNT_AFTER: '' }).INACTIVE_ACCOUNT_AFTER).toBeNull();
    expect(loadConfig(IdentityConfig, { ...valid, INACTIVE_ACCOUNT_AFTER: '180d' }).INACTIVE_ACCOUNT_AFTER).toBe(180 * 86_400_000);
  });

  // Security review finding 10: a deployment that forgets NODE_ENV must not get development's leniency.
  it('treats a missing NODE_ENV as production: signing keys and an https APP_URL are required', () => {
    const { NODE_ENV: _unset, ...withoutNodeEnv } = valid;
    expect(problemsOf(withoutNodeEnv)).toEqual([
      expect.stringMatching(/^APP_URL: must be an https:\/\/ URL when NODE_ENV is production \(or unset\), got "http:\/\/127.0.0.1:8080"/),
      expect.stringMatching(/^JWT_SIGNING_KEYS: is required outside development/),
    ]);
    const production = { ...withoutNodeEnv, JWT_SIGNING_KEYS: '{"keys":[]}', APP_URL: 'https://accounts.example.com' };
    expect(loadConfig(IdentityConfig, production).NODE_ENV).toBe('production');
  });

  it.each([
    ['production', 'http://127.0.0.1:8080', false],
    ['production', 'http://localhost:8080', false],
    ['production', 'http://accounts.example.com', false],
    ['production', 'https://accounts.example.com', true],
    ['development', 'http://127.0.0.1:8080', true],
    ['test', 'http://localhost:3000', true],
    ['development', 'http://accounts.example.com', false],
    ['development', 'ftp://accounts.example.com', false],
  ])('with NODE_ENV=%s, APP_URL %s is accepted: %p', (nodeEnv, url, accepted) => {
    const problems = problemsOf({ ...valid, NODE_ENV: nodeEnv, APP_URL: url, JWT_SIGNING_KEYS: '{"keys":[]}' });
    expect(problems).toEqual(accepted ? [] : [expect.stringMatching(/^APP_URL: must be an https:\/\/ URL/)]);
  });

  it('names the cleanup variable it cannot read', () => {
    expect(problemsOf({ ...valid, INACTIVE_ACCOUNT_AFTER: 'half a year', DELETION_GRACE_PERIOD: '30 days' })).toEqual([
      expect.stringMatching(/^DELETION_GRACE_PERIOD: /),
      expect.stringMatching(/^INACTIVE_ACCOUNT_AFTER: /),
    ]);
  });
});
