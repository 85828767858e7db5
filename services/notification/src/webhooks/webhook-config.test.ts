import { z } from 'zod';
import { sendgridKeys } from '../../test/webhooks-signers';
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
    expect(new RegExp(config.SNS_CERT_URL_PATTERN).test('https://sns.eu-west-1.amazonaws.com/cert.pem')).toBe(true);
  });

  it('takes a SendGrid key as its settings page shows it, and refuses anything else', () => {
    expect(WebhookConfig.safeParse({ SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys().publicKeyBase64 }).success).toBe(true);
    expect(WebhookConfig.safeParse({ SENDGRID_WEBHOOK_PUBLIC_KEY: 'c2VjcmV0' }).success).toBe(false);
  });

  it('reads topic ARNs as a list and refuses an unanchored certificate URL pattern', () => {
    expect(WebhookConfig.parse({ SES_SNS_TOPIC_ARN: 'arn:a, arn:b' }).SES_SNS_TOPIC_ARN).toEqual(['arn:a', 'arn:b']);
    expect(WebhookConfig.safeParse({ SNS_CERT_URL_PATTERN: 'https://sns\\.' }).success).toBe(false);
    expect(WebhookConfig.safeParse({ SNS_CERT_URL_PATTERN: '^https://(' }).success).toBe(false);
  });
});
