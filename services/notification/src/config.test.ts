import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@solar/chassis';
import { NotificationConfig } from './config';

const key = (id: string) => `${id}:${randomBytes(32).toString('base64')}`;
const valid = {
  NODE_ENV: 'test',
  KAFKA_BROKERS: '127.0.0.1:9092',
  MONGO_URL: 'mongodb://127.0.0.1:27017/notification',
  SMTP_HOST: 'smtp.example.test',
  DATA_ENCRYPTION_KEYS: key('k1'),
  EMAIL_LINK_KEYS: key('l1'),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(NotificationConfig, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

// Security review finding 3: notification opens the links on the topic with a key only it and identity hold.
describe('EMAIL_LINK_KEYS', () => {
  it('opens with every key of the ring', () => {
    const config = loadConfig(NotificationConfig, { ...valid, EMAIL_LINK_KEYS: `${key('l2')},${valid.EMAIL_LINK_KEYS}` });
    expect(config.EMAIL_LINK_KEYS.map(({ id }) => id)).toEqual(['l2', 'l1']);
  });

  it('is required, in production too, and named when missing', () => {
    const { EMAIL_LINK_KEYS: _unset, ...withoutLinkKeys } = valid;
    const production = {
      ...withoutLinkKeys,
      NODE_ENV: 'production',
      APP_URL: 'https://app.example.com',
      BRAND_SUPPORT_EMAIL: 'support@example.com',
      BRAND_POSTAL_ADDRESS: '1 Example Street',
    };
    expect(problemsOf(production)).toEqual([expect.stringMatching(/^EMAIL_LINK_KEYS: is required/)]);
  });

  it('refuses a key that is also the data key, whatever its id', () => {
    const problems = problemsOf({ ...valid, EMAIL_LINK_KEYS: `l1:${valid.DATA_ENCRYPTION_KEYS.split(':')[1]!}` });
    expect(problems).toEqual(['EMAIL_LINK_KEYS: key "l1" is also in DATA_ENCRYPTION_KEYS; give email links a key of their own']);
  });
});
