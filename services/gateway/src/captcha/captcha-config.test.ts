import { ConfigError, loadConfig } from '@solar/chassis';
import { GatewayConfig } from '../config';

const base = { RATE_LIMITS_ENABLED: 'false', QUOTAS_ENABLED: 'false' };

describe('CAPTCHA configuration', () => {
  it('refuses to start in production without a provider unless that is explicitly allowed', () => {
    expect(() => loadConfig(GatewayConfig, { ...base, NODE_ENV: 'production' })).toThrow(
      /CAPTCHA_PROVIDER: must be recaptcha, hcaptcha or turnstile in production/,
    );
    expect(loadConfig(GatewayConfig, { ...base, NODE_ENV: 'production', CAPTCHA_ALLOW_NONE: 'true' }).CAPTCHA_PROVIDER).toBe('none');
    expect(loadConfig(GatewayConfig, { ...base, NODE_ENV: 'development' }).CAPTCHA_PROVIDER).toBe('none');
  });

  // Security review finding 10: a deployment that forgets NODE_ENV must not run without a CAPTCHA.
  it('treats a missing NODE_ENV as production', () => {
    expect(() => loadConfig(GatewayConfig, base)).toThrow(/CAPTCHA_PROVIDER: must be recaptcha, hcaptcha or turnstile in production/);
    expect(loadConfig(GatewayConfig, { ...base, CAPTCHA_ALLOW_NONE: 'true' }).NODE_ENV).toBe('production');
  });

  it('accepts only https browser origins in production, and http ones on localhost in development or test', () => {
    const allowNone = { ...base, CAPTCHA_ALLOW_NONE: 'true' };
    expect(() => loadConfig(GatewayConfig, { ...allowNone, CORS_ORIGINS: 'https://app.example.com,http://app.example.com' })).toThrow(
      /CORS_ORIGINS: must be an https:\/\/ URL when NODE_ENV is production \(or unset\), got "http:\/\/app.example.com"/,
    );
    expect(() => loadConfig(GatewayConfig, { ...allowNone, CORS_ORIGINS: 'http://localhost:5173' })).toThrow(/CORS_ORIGINS/);
    expect(loadConfig(GatewayConfig, { ...allowNone, NODE_ENV: 'test', CORS_ORIGINS: 'http://localhost:5173' }).CORS_ORIGINS).toEqual([
      'http://localhost:5173',
    ]);
    expect(() => loadConfig(GatewayConfig, { ...allowNone, NODE_ENV: 'development', CORS_ORIGINS: 'http://app.example.com' })).toThrow(
      /CORS_ORIGINS/,
    );
  });

  it('requires a secret and Redis with a provider, and fails closed by default', () => {
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'hcaptcha' })).toThrow(ConfigError);
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'hcaptcha' })).toThrow(/CAPTCHA_SECRET: is required/);
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'hcaptcha' })).toThrow(
      /REDIS_URL: is required while a CAPTCHA_PROVIDER/,
    );
    const config = loadConfig(GatewayConfig, {
      ...base,
      NODE_ENV: 'test',
      CAPTCHA_PROVIDER: 'recaptcha',
      CAPTCHA_SECRET: 's',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    expect(config.CAPTCHA_FAIL_OPEN).toBe(false);
    expect(config.CAPTCHA_ON_REGISTER).toBe(false);
  });

  it('requires CAPTCHA_HOSTNAMES in production while a provider is set, and reads it as lower-case hostnames', () => {
    const production = {
      ...base,
      NODE_ENV: 'production',
      CAPTCHA_PROVIDER: 'turnstile',
      CAPTCHA_SECRET: 's',
      CAPTCHA_PROOF_KEY: 'p'.repeat(32),
      REDIS_URL: 'redis://127.0.0.1:6379',
    };
    expect(() => loadConfig(GatewayConfig, production)).toThrow(/CAPTCHA_HOSTNAMES: is required in production/);
    expect(
      loadConfig(GatewayConfig, { ...production, CAPTCHA_HOSTNAMES: 'Accounts.Example.com, www.example.com' }).CAPTCHA_HOSTNAMES,
    ).toEqual(['accounts.example.com', 'www.example.com']);
    expect(() => loadConfig(GatewayConfig, { ...production, CAPTCHA_HOSTNAMES: 'https://accounts.example.com' })).toThrow(
      /CAPTCHA_HOSTNAMES/,
    );
    expect(() => loadConfig(GatewayConfig, { ...production, CAPTCHA_HOSTNAMES: ' , ' })).toThrow(/CAPTCHA_HOSTNAMES/);
    // A missing NODE_ENV is production: the hostnames are required there too.
    const { NODE_ENV: _production, ...unset } = production;
    expect(() => loadConfig(GatewayConfig, unset)).toThrow(/CAPTCHA_HOSTNAMES: is required in production/);
    expect(loadConfig(GatewayConfig, { ...unset, NODE_ENV: 'development' }).CAPTCHA_HOSTNAMES).toBeUndefined();
  });

  // Security review finding 4: without the key, the owner of an address past its failure count has no way in but to wait.
  it('requires CAPTCHA_PROOF_KEY in production while a provider is set, of at least 32 characters', () => {
    const production = {
      ...base,
      NODE_ENV: 'production',
      CAPTCHA_PROVIDER: 'hcaptcha',
      CAPTCHA_SECRET: 's',
      CAPTCHA_HOSTNAMES: 'accounts.example.com',
      REDIS_URL: 'redis://127.0.0.1:6379',
    };
    expect(() => loadConfig(GatewayConfig, production)).toThrow(
      /CAPTCHA_PROOF_KEY: is required in production while CAPTCHA_PROVIDER is hcaptcha/,
    );
    expect(() => loadConfig(GatewayConfig, { ...production, CAPTCHA_PROOF_KEY: 'short' })).toThrow(
      /CAPTCHA_PROOF_KEY: must be at least 32/,
    );
    expect(loadConfig(GatewayConfig, { ...production, CAPTCHA_PROOF_KEY: 'p'.repeat(32) }).CAPTCHA_PROOF_KEY).toBe('p'.repeat(32));
    expect(loadConfig(GatewayConfig, { ...production, NODE_ENV: 'test' }).CAPTCHA_PROOF_KEY).toBeUndefined();
  });

  it('refuses an unknown provider', () => {
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'recaptcha-v9' })).toThrow(/CAPTCHA_PROVIDER/);
  });
});
