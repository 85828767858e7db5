import { z } from 'zod';
import { sendgridKeys } from '../../test/webhooks-signers';
import { loadConfig } from '@solar/chassis';
import { NotificationConfig } from '../config';
import { webhookConfigShape } from './webhook-config';

const WebhookConfig = z.object(webhookConfigShape);

describe('webhook configuration', () => {
  it('leaves every endpoint off when nothing is set, or set empty', () => {
    const config = WebhookConfig.parse({ SENDGRID_WEBHOOK_PUBLIC_KEY: '', MAILGUN_WEBHOOK_SIGNING_KEY: '', SES_SNS_TOPIC_ARN: '' });
    expect(config).toMatchObject({
      SENDGRID_WEBHOOK_PUBLIC_KEY: undefined,
      MAILGUN_WEBHOOK_SIGNING_KEY: undefined,
      SES_SNS_TOPIC_ARN: undefined,
    });
    expect(config.WEBHOOK_MAX_SKEW).toBe(300_000);
    expect(config.EMAIL_BOUNCE_RATE_THRESHOLD).toBe(0.05);
    expect(config.SES_WEBHOOK_MAX_AGE).toBe(3_600_000);
    expect(config.SNS_CERT_URL_PATTERN).toBeUndefined();
  });

  it('takes a SendGrid key as its settings page shows it, and refuses anything else', () => {
    expect(WebhookConfig.safeParse({ SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys().publicKeyBase64 }).success).toBe(true);
    expect(WebhookConfig.safeParse({ SENDGRID_WEBHOOK_PUBLIC_KEY: 'c2VjcmV0' }).success).toBe(false);
  });

  it('reads topic ARNs as a list and refuses an unanchored certificate URL pattern', () => {
    expect(WebhookConfig.parse({ SES_SNS_TOPIC_ARN: 'arn:a, arn:b' }).SES_SNS_TOPIC_ARN).toEqual(['arn:a', 'arn:b']);
    expect(WebhookConfig.safeParse({ SNS_CERT_URL_PATTERN: 'https://sns\\.' }).success).toBe(false);
    expect(WebhookConfig.safeParse({ SNS_CERT_URL_PATTERN: '^https://(' }).success).toBe(false);
    expect(WebhookConfig.safeParse({ SES_WEBHOOK_MAX_AGE: 'an hour' }).success).toBe(false);
  });

  it('refuses a certificate URL override in production, naming the variable', () => {
    const env = {
      SMTP_HOST: 'smtp.example.test',
      KAFKA_BROKERS: '127.0.0.1:9092',
      MONGO_URL: 'mongodb://127.0.0.1/n',
      DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      EMAIL_LINK_KEYS: `l1:${Buffer.alloc(32, 2).toString('base64')}`,
    };
    const override = { ...env, SNS_CERT_URL_PATTERN: '^http://127\\.0\\.0\\.1:' };
    expect(loadConfig(NotificationConfig, { ...override, NODE_ENV: 'test' }).SNS_CERT_URL_PATTERN).toBeDefined();
    expect(() => loadConfig(NotificationConfig, { ...override, NODE_ENV: 'production' })).toThrow(
      /SNS_CERT_URL_PATTERN: is for tests and local stand-ins only/,
    );
    // A missing NODE_ENV is production.
    expect(() => loadConfig(NotificationConfig, override)).toThrow(/SNS_CERT_URL_PATTERN: is for tests and local stand-ins only/);
  });
});
