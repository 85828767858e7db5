import { z } from 'zod';
import {
  accessTokenConfigShape,
  baseConfigShape,
  brandConfigShape,
  checkEmailLinkKeys,
  keyRing,
  booleanFlag,
  duration,
  metricsConfigShape,
  port,
} from '@solar/chassis';
import { checkEmailProvider, emailProviderShape } from './providers/provider-config';
import { checkWebhookConfig, webhookConfigShape } from './webhooks/webhook-config';
import { monitoringConfigShape } from './monitoring/monitoring-config';
import { checkOutboundWebhookConfig, outboundWebhookConfigShape } from './outbound-webhooks/outbound-webhook-config';

export const NotificationConfig = z
  .object({
    ...baseConfigShape,
    PORT: port(3002),
    HOST: z.string().default('0.0.0.0'),
    ...metricsConfigShape,
    MONGO_URL: z.string().startsWith('mongodb', 'must be a mongodb:// or mongodb+srv:// URL'),
    DATA_ENCRYPTION_KEYS: keyRing,
    /**
     * `id:base64key[,older...]`, the same ring as identity's: opens the links of EmailRequested, sealed
     * for notification alone; every key opens. Never a key of DATA_ENCRYPTION_KEYS (refused at start).
     */
    EMAIL_LINK_KEYS: keyRing,
    /** Required when EMAIL_PROVIDER=smtp (checked below with the other providers' variables). */
    SMTP_HOST: z.string().optional(),
    SMTP_PORT: port(587),
    SMTP_SECURE: booleanFlag(false),
    SMTP_USER: z.string().optional(),
    SMTP_PASSWORD: z.string().optional(),
    ...emailProviderShape,
    /** The web app the emails link to (identity's APP_URL): a requested email whose links go elsewhere is refused. */
    APP_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8080'),
    EMAIL_FROM: z.string().min(3).default('Solar Accounts <no-reply@solar-intelligence.local>'),
    /** Right-hand side of the Message-IDs we mint from request ids. */
    MESSAGE_ID_DOMAIN: z
      .string()
      .regex(/^[A-Za-z0-9.-]+$/)
      .default('solar-accounts.local'),
    /** Name, logo, colours and footer of every email (validated there; defaults suit development). */
    ...brandConfigShape,
    /** How long a claim on a delivery holds before another worker may take it over. */
    DELIVERY_LEASE: duration('2m'),
    DELIVERY_SWEEP_INTERVAL: duration('30s'),
    /** Send attempts per delivery for transient failures (429, 5xx, timeouts), with full-jitter backoff between them. */
    DELIVERY_RETRY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(5),
    DELIVERY_RETRY_BASE: duration('500ms'),
    /** Emails of one template to one recipient per clock hour; past it requests are recorded, not sent. */
    EMAIL_RECIPIENT_HOURLY_LIMIT: z.coerce.number().int().min(1).default(3),
    DELIVERY_RETRY_MAX: duration('30s'),
    ...webhookConfigShape,
    ...monitoringConfigShape,
    ...outboundWebhookConfigShape,
    ...accessTokenConfigShape,
    OUTBOX_SWEEP_INTERVAL: duration('5s'),
    OUTBOX_SETTLE: duration('5s'),
  })
  .superRefine(checkEmailProvider)
  .superRefine(checkWebhookConfig)
  .superRefine(checkOutboundWebhookConfig)
  .superRefine(checkEmailLinkKeys);
export type NotificationConfig = z.output<typeof NotificationConfig>;
