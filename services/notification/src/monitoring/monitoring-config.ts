import { z } from 'zod';
import { duration } from '@solar/chassis';

/** Optional URL that an empty variable (`ALERT_WEBHOOK_URL=` in an env file) leaves unset. */
const optionalUrl = z
  .union([z.literal(''), z.url({ protocol: /^https?$/ })])
  .optional()
  .transform((value) => value || undefined);

/** Delivery monitoring and alerts (spread into NotificationConfig). */
export const monitoringConfigShape = {
  /** Length of the sliding window the success rate is measured over. */
  EMAIL_ALERT_WINDOW: duration('15m'),
  /** Fewer send attempts than this in the window never count as degraded. */
  EMAIL_ALERT_MIN_ATTEMPTS: z.coerce.number().int().min(1).default(20),
  /** Degraded below this success rate (0..1); recovered at halfway between it and 1. */
  EMAIL_ALERT_SUCCESS_THRESHOLD: z.coerce.number().min(0).max(1).default(0.95),
  /** Receives a JSON POST when delivery degrades or recovers. */
  ALERT_WEBHOOK_URL: optionalUrl,
  ALERT_WEBHOOK_TIMEOUT: duration('5s'),
  /** How long GET /health/email reuses the provider check. */
  EMAIL_HEALTH_CACHE: duration('30s'),
  EMAIL_HEALTH_TIMEOUT: duration('5s'),
};
