import { z } from 'zod';
import { commaList, duration } from '@solar/chassis';
import { sendgridPublicKey } from './sendgrid-signature';

// Empty means "not set" (`SENDGRID_WEBHOOK_PUBLIC_KEY=` in an env file), which leaves that endpoint off.
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);

/**
 * Variables of the bounce and complaint webhooks and the bounce-rate alert. Each endpoint exists only when its provider's
 * credential is set; a value that cannot work (a key of the wrong kind, an unanchored pattern) stops
 * the service at start rather than at the first webhook call.
 */
export const webhookConfigShape = {
  /** SendGrid's Event Webhook verification key, base64 DER as its settings page shows it (or PEM). */
  SENDGRID_WEBHOOK_PUBLIC_KEY: unsetIfEmpty(
    z
      .string()
      .refine((value) => {
        try {
          sendgridPublicKey(value);
          return true;
        } catch {
          return false;
        }
      }, 'must be an EC P-256 public key (base64 DER or PEM)')
      .optional(),
  ),
  MAILGUN_WEBHOOK_SIGNING_KEY: unsetIfEmpty(z.string().min(1).optional()),
  /**
   * The SNS topics SES reports to (comma-separated ARNs). Required for the SES endpoint: any AWS
   * account can have SNS sign a message from a topic of its own, so the signature alone proves little.
   */
  SES_SNS_TOPIC_ARN: unsetIfEmpty(commaList.optional()),
  /**
   * Tests and local stand-ins only (refused in production): a pattern (anchored) for the URLs SNS certificates and
   * subscription confirmations may be fetched from, replacing the built-in rule: https://sns.<region>.amazonaws.com(.cn)/, .pem for certificates.
   */
  SNS_CERT_URL_PATTERN: unsetIfEmpty(
    z
      .string()
      .refine((value) => value.startsWith('^') && isRegExp(value), 'must be a regular expression anchored with ^')
      .optional(),
  ),
  /** Provider timestamps further than this from our clock are refused as replays. */
  WEBHOOK_MAX_SKEW: duration('5m'),
  /**
   * SNS messages published longer ago than this are refused (their MessageIds are remembered as long). SNS keeps the
   * Timestamp of the first attempt on its retries, which its HTTP delivery policy spreads over at most an hour.
   */
  SES_WEBHOOK_MAX_AGE: duration('1h'),
  /** Hard bounces and complaints per email sent above which the bounce-rate alert fires (0..1). */
  EMAIL_BOUNCE_RATE_THRESHOLD: z.coerce.number().min(0).max(1).default(0.05),
  /** Window the bounce rate is measured over: bounce reports trail the sending by minutes to days. */
  EMAIL_BOUNCE_RATE_WINDOW: duration('24h'),
  /** Fewer emails sent than this in the window never count as a high bounce rate. */
  EMAIL_BOUNCE_RATE_MIN_SENT: z.coerce.number().int().min(1).default(100),
  EMAIL_BOUNCE_RATE_CHECK_INTERVAL: duration('5m'),
};

/** Production fetches SNS certificates from Amazon's hosts only, whatever an override would allow. */
export function checkWebhookConfig(config: { NODE_ENV: string; SNS_CERT_URL_PATTERN?: string | undefined }, ctx: z.RefinementCtx): void {
  if (config.NODE_ENV === 'production' && config.SNS_CERT_URL_PATTERN !== undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['SNS_CERT_URL_PATTERN'],
      message: 'is for tests and local stand-ins only; production accepts https://sns.<region>.amazonaws.com(.cn) alone',
    });
}

function isRegExp(value: string): boolean {
  try {
    new RegExp(value);
    return true;
  } catch {
    return false;
  }
}
