import { z } from 'zod';
import { baseConfigShape, keyRing, booleanFlag, duration, port } from '@solar/chassis';

export const NotificationConfig = z.object({
  ...baseConfigShape,
  PORT: port(3002),
  HOST: z.string().default('0.0.0.0'),
  MONGO_URL: z.string().startsWith('mongodb', 'must be a mongodb:// or mongodb+srv:// URL'),
  DATA_ENCRYPTION_KEYS: keyRing,
  SMTP_HOST: z.string().min(1),
  SMTP_PORT: port(587),
  SMTP_SECURE: booleanFlag(false),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  EMAIL_FROM: z.string().min(3).default('Solar Accounts <no-reply@solar-intelligence.local>'),
  /** Right-hand side of the Message-IDs we mint from request ids. */
  MESSAGE_ID_DOMAIN: z
    .string()
    .regex(/^[A-Za-z0-9.-]+$/)
    .default('solar-accounts.local'),
  BRAND_NAME: z.string().min(1).default('Solar Accounts'),
  /** How long a claim on a delivery holds before another worker may take it over. */
  DELIVERY_LEASE: duration('2m'),
  DELIVERY_SWEEP_INTERVAL: duration('30s'),
  OUTBOX_SWEEP_INTERVAL: duration('5s'),
  OUTBOX_SETTLE: duration('5s'),
});
export type NotificationConfig = z.output<typeof NotificationConfig>;
