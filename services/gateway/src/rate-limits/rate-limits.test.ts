import { ConfigError, loadConfig } from '@solar/chassis';
import { GatewayConfig } from '../config';
import { clientKey } from './rate-limiter';
import { DEFAULT_RATE_LIMIT_RULE, RATE_LIMIT_RULES, parseLimitSpec, rulesFor } from './rate-limits';

describe('parseLimitSpec', () => {
  it('reads <count>/<duration>', () => {
    expect(parseLimitSpec('5/1m')).toEqual({ limit: 5, windowMs: 60_000 });
    expect(parseLimitSpec(' 3 / 1h ')).toEqual({ limit: 3, windowMs: 3_600_000 });
    expect(parseLimitSpec('10/1d')).toEqual({ limit: 10, windowMs: 86_400_000 });
    expect(parseLimitSpec('5/2s')).toEqual({ limit: 5, windowMs: 2_000 });
  });

  it.each(['', '5', '5/', '/1m', '0/1m', '-1/1m', '5/1y', '5/500ms', 'five/1m', '5/1m/2'])('refuses %p', (text) => {
    expect(parseLimitSpec(text)).toBeNull();
  });
});

describe('rulesFor', () => {
  it('finds each row of the table by its path, however it is spelled', () => {
    for (const rule of RATE_LIMIT_RULES) expect(rulesFor(rule.path)).toContain(rule);
    expect(rulesFor('/AUTH/Login/')).toEqual([expect.objectContaining({ name: 'login' })]);
    expect(rulesFor('/auth/login/2FA')).toEqual([expect.objectContaining({ name: 'login-2fa' })]);
  });

  it('gives every other path the default', () => {
    // Rows match whole paths, not what lies below them.
    expect(rulesFor('/auth/register/extra')).toEqual([DEFAULT_RATE_LIMIT_RULE]);
    expect(rulesFor('/users/me')).toEqual([DEFAULT_RATE_LIMIT_RULE]);
  });

  it('counts the token endpoint’s failures per address and per client, and every request by the default row', () => {
    expect(rulesFor('/oauth2/Token/').map((rule) => rule.name)).toEqual(['oauth-token', 'oauth-token-client', 'default']);
  });
});

describe('rate limit configuration', () => {
  // Development: production would also demand a CAPTCHA provider, which is not what these tests are about.
  const base = { NODE_ENV: 'development', REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '127.0.0.1:9092' };

  it('defaults to the design brief table', () => {
    const config = loadConfig(GatewayConfig, base);
    expect(config.RATE_LIMITS_ENABLED).toBe(true);
    expect(config.RATE_LIMIT_LOGIN).toEqual({ limit: 5, windowMs: 60_000 });
    expect(config.RATE_LIMIT_REGISTER).toEqual({ limit: 3, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_REQUEST_PASSWORD_RESET).toEqual({ limit: 3, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_RESET_PASSWORD).toEqual({ limit: 10, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_REQUEST_EMAIL_CHANGE).toEqual({ limit: 3, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_CONFIRM_EMAIL_CHANGE).toEqual({ limit: 10, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_UNDO_EMAIL_CHANGE).toEqual({ limit: 10, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_SEND_VERIFICATION).toEqual({ limit: 5, windowMs: 86_400_000 });
    expect(config.RATE_LIMIT_VERIFY_EMAIL).toEqual({ limit: 10, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_DATA_EXPORT_DOWNLOAD).toEqual({ limit: 10, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_REQUEST_DELETION).toEqual({ limit: 3, windowMs: 86_400_000 });
    expect(config.RATE_LIMIT_CANCEL_DELETION).toEqual({ limit: 10, windowMs: 86_400_000 });
    expect(config.RATE_LIMIT_WAITLIST_JOIN).toEqual({ limit: 1, windowMs: 3_600_000 });
    expect(config.RATE_LIMIT_DEFAULT).toEqual({ limit: 300, windowMs: 60_000 });
  });

  it('fails naming the variable', () => {
    expect(() => loadConfig(GatewayConfig, { ...base, RATE_LIMIT_LOGIN: '5 per minute' })).toThrow(
      /RATE_LIMIT_LOGIN: "5 per minute" is not a limit/,
    );
    expect(() => loadConfig(GatewayConfig, { REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: must be a redis:\/\//);
  });

  it('requires REDIS_URL only while the limits are on', () => {
    expect(() => loadConfig(GatewayConfig, {})).toThrow(ConfigError);
    expect(() => loadConfig(GatewayConfig, {})).toThrow(/REDIS_URL: is required while RATE_LIMITS_ENABLED is true/);
    expect(
      loadConfig(GatewayConfig, { NODE_ENV: 'development', RATE_LIMITS_ENABLED: 'false', QUOTAS_ENABLED: 'false', REDIS_URL: '' })
        .RATE_LIMITS_ENABLED,
    ).toBe(false);
  });
});

describe('clientKey', () => {
  const caller = { userId: 'user-1', roles: ['user'], emailVerified: true };

  it('keys per-user rows on the verified caller, wherever the request comes from', () => {
    expect(clientKey({ ip: '203.0.113.7', caller }, 'user')).toBe('user:user-1');
    expect(clientKey({ ip: '198.51.100.1', caller }, 'user')).toBe('user:user-1');
  });

  it('falls back to the address without a verified caller, and ignores the caller on per-IP rows', () => {
    expect(clientKey({ ip: '203.0.113.7' }, 'user')).toBe('ip:203.0.113.7');
    expect(clientKey({ ip: '203.0.113.7', caller }, 'ip')).toBe('ip:203.0.113.7');
  });

  it('keys per-client rows on the client a token request names, by Basic credentials or form', () => {
    const basic = (user: string) => ({ authorization: `Basic ${Buffer.from(`${user}:secret`).toString('base64')}` });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    expect(clientKey({ ip: '203.0.113.7', headers: basic('app%201') }, 'client')).toBe('client:app 1');
    expect(clientKey({ ip: '203.0.113.7', headers: form, bufferedBody: Buffer.from('grant_type=x&client_id=spa') }, 'client')).toBe(
      'client:spa',
    );
    expect(clientKey({ ip: '203.0.113.7', headers: form, bufferedBody: Buffer.from('grant_type=x') }, 'client')).toBe('ip:203.0.113.7');
    expect(clientKey({ ip: '203.0.113.7', headers: basic('x'.repeat(500)) }, 'client')).toBe(`client:${'x'.repeat(128)}`);
  });

  it('counts IPv6 clients per /56', () => {
    expect(clientKey({ ip: '2001:db8:1:2:3::1' }, 'ip')).toBe(clientKey({ ip: '2001:db8:1:2:ffff::9' }, 'ip'));
  });
});
