import { loadConfig } from '@solar/chassis';
import { GatewayConfig } from '../config';

// Development: production would also demand a CAPTCHA provider, which is not what these tests are about.
const dev = { NODE_ENV: 'development' };

describe('quota configuration', () => {
  it('needs Redis and Kafka while quotas are on, and neither when they are off', () => {
    expect(() => loadConfig(GatewayConfig, { ...dev, RATE_LIMITS_ENABLED: 'false' })).toThrow(
      /REDIS_URL: is required while QUOTAS_ENABLED is true/,
    );
    expect(() => loadConfig(GatewayConfig, { ...dev, RATE_LIMITS_ENABLED: 'false' })).toThrow(
      /KAFKA_BROKERS: is required while QUOTAS_ENABLED is true/,
    );
    expect(loadConfig(GatewayConfig, { ...dev, RATE_LIMITS_ENABLED: 'false', QUOTAS_ENABLED: 'false' }).QUOTAS_ENABLED).toBe(false);
  });

  it('defaults to 10,000 requests a month for users and no limit for admins, and refuses negative quotas', () => {
    const config = loadConfig(GatewayConfig, { ...dev, REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: '127.0.0.1:9092' });
    expect([config.QUOTA_USER, config.QUOTA_ADMIN]).toEqual([10_000, 0]);
    expect(() =>
      loadConfig(GatewayConfig, { ...dev, REDIS_URL: 'redis://127.0.0.1:6379', KAFKA_BROKERS: 'k:9092', QUOTA_USER: '-1' }),
    ).toThrow(/QUOTA_USER/);
  });
});
