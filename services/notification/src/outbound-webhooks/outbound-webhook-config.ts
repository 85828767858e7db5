import { z } from 'zod';
import { Locale } from '@solar/contracts';
import { duration } from '@solar/chassis';

const optionalList = z
  .string()
  .default('')
  .transform((text) =>
    text
      .split(',')
      .map((item) => item.trim().toLowerCase())
      .filter(Boolean),
  );

/** Variables of the webhooks integrators register for public events (src/outbound-webhooks). */
export const outboundWebhookConfigShape = {
  /** How long one event is retried at an endpoint before its delivery is dead. */
  WEBHOOK_RETRY_FOR: duration('24h'),
  /** An endpoint failing every delivery for this long is disabled, with an alert and an email to WEBHOOK_ADMIN_EMAILS. */
  WEBHOOK_DISABLE_AFTER: duration('5d'),
  /** Exponential backoff with full jitter between attempts: the first wait is up to this, doubling up to WEBHOOK_RETRY_MAX. */
  WEBHOOK_RETRY_BASE: duration('5s'),
  /** The longest wait between two attempts at one delivery. */
  WEBHOOK_RETRY_MAX: duration('1h'),
  /** Connect, send and answer, all of it: a receiver slower than this counts as failed. */
  WEBHOOK_TIMEOUT: duration('10s'),
  /** How often each replica looks for deliveries that are due. */
  WEBHOOK_POLL_INTERVAL: duration('1s'),
  /**
   * How long a replica answers which endpoints subscribe to an event type from what it read before:
   * an endpoint created, enabled or changed on another replica gets every event queued this long
   * after (docs/events.md). Each replica reads the endpoints at most once per this, not once per event.
   */
  WEBHOOK_SUBSCRIPTIONS_TTL: duration('1s'),
  /** How long a replica's claim on a delivery holds before another may take it over (longer than WEBHOOK_TIMEOUT). */
  WEBHOOK_LEASE: duration('1m'),
  /**
   * How long public events are kept (sealed) for retries and replay; the delivery log never holds
   * payloads. At least WEBHOOK_RETRY_FOR, or an event would expire while still retried.
   */
  WEBHOOK_EVENT_RETENTION: duration('7d'),
  /**
   * Development and tests only: hosts (names or IP literals, comma-separated) a webhook may reach
   * although they resolve to loopback or private addresses. Empty in production.
   */
  WEBHOOK_ALLOWED_HOSTS: optionalList,
  /** Who is emailed when an endpoint is disabled for failing (comma-separated addresses); none when empty. */
  WEBHOOK_ADMIN_EMAILS: optionalList.pipe(z.array(z.email())),
  /** Language of that email (a supported locale). */
  WEBHOOK_ADMIN_LOCALE: Locale.default('en'),
};

/** Refuses, at start, a retention shorter than the retry period: the event would be gone before its last try. */
export function checkOutboundWebhookConfig(
  config: { WEBHOOK_RETRY_FOR: number; WEBHOOK_EVENT_RETENTION: number },
  ctx: z.RefinementCtx,
): void {
  if (config.WEBHOOK_EVENT_RETENTION < config.WEBHOOK_RETRY_FOR) {
    ctx.addIssue({ code: 'custom', path: ['WEBHOOK_EVENT_RETENTION'], message: 'must be at least WEBHOOK_RETRY_FOR' });
  }
}
