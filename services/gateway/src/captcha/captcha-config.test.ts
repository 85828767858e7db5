import { ConfigError, loadConfig } from '@solar/chassis';
import { GatewayConfig } from '../config';

const base = { RATE_LIMITS_ENABLED: 'false', QUOTAS_ENABLED: 'false' };

describe('CAPTCHA configuration', () => {
  it('refuses to start in production without a provider unless that is explicitly allowed', () => {
    expect(() => loadConfig(GatewayConfig, { ...base, NODE_ENV: 'production' })).toThrow(
      /CAPTCHA_PROVIDER: must be recaptcha, hcaptcha or turnstile in production/,
    );
    expect(loadConfig(GatewayConfig, { ...base, NODE_ENV: 'production', CAPTCHA_ALLOW_NONE: 'true' }).CAPTCHA_PROVIDER).toBe('none');
    expect(loadConfig(GatewayConfig, { ...base }).CAPTCHA_PROVIDER).toBe('none');
  });

  it('requires a secret and Redis with a provider, and fails closed by default', () => {
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'hcaptcha' })).toThrow(ConfigError);
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'hcaptcha' })).toThrow(/CAPTCHA_SECRET: is required/);
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'hcaptcha' })).toThrow(
      /REDIS_URL: is required while a CAPTCHA_PROVIDER/,
    );
    const config = loadConfig(GatewayConfig, {
      ...base,
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
    expect(
      loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'turnstile', CAPTCHA_SECRET: 's', REDIS_URL: 'redis://127.0.0.1:6379' })
        .CAPTCHA_HOSTNAMES,
    ).toBeUndefined();
  });

  it('refuses an unknown provider', () => {
    expect(() => loadConfig(GatewayConfig, { ...base, CAPTCHA_PROVIDER: 'recaptcha-v9' })).toThrow(/CAPTCHA_PROVIDER/);
  });
});
