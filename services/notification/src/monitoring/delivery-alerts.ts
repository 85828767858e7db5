import { createEvent, toKafkaMessage, topicOf, type AnyCloudEvent } from '@solar/contracts';
import { retry, type Logger, type Publisher } from '@solar/chassis';
import type { BounceRateFigures } from '../suppression/bounce-rate-monitor';
import type { AlertSink, DeliveryAlert } from './delivery-monitor';

export interface DeliveryAlertsDeps {
  publisher: Pick<Publisher, 'send'>;
  logger: Logger;
  clock: () => Date;
  /** ALERT_WEBHOOK_URL; may carry a secret (Slack-style URLs do), so it is never logged. */
  webhookUrl?: string | undefined;
  webhookTimeoutMs: number;
  /** Tries for the Kafka publication; all carry the same event id, so consumers see one alert. */
  publishAttempts?: number;
  /** The first retry's longest wait; later ones double it (backoff with jitter). */
  publishRetryDelayMs?: number;
}

const EVENT = { degraded: 'EmailDeliveryDegraded', recovered: 'EmailDeliveryRecovered' } as const;

/**
 * Raises an alert on every channel: an error log line, the event on notification.deliveries.v1,
 * and a POST to the webhook if one is configured.
 *
 * The event is published straight through the publisher, not through an outbox: there is no
 * document whose change it records, the state it comes from is in memory anyway, and a stored
 * monitoring document per replica would buy durability for a signal that is already derived and
 * lost on restart. So the event is at-most-once per episode and instance, made a little sturdier by a
 * few retries under one event id (duplicates are dropped by consumers' ce_id idempotency); the log line,
 * written first, is the record that always exists.
 */
export function deliveryAlerts(deps: DeliveryAlertsDeps): AlertSink {
  const policy = { attempts: deps.publishAttempts ?? 4, initialMs: deps.publishRetryDelayMs ?? 1_000, maxMs: 8_000 };

  async function publish(event: AnyCloudEvent): Promise<void> {
    try {
      await retry(() => deps.publisher.send([{ topic: topicOf(event), ...toKafkaMessage(event) }]), { policy });
    } catch (error) {
      deps.logger.error(
        { err: error, eventId: event.id, type: event.type },
        'email delivery alert event not published; the log line stands',
      );
    }
  }

  return {
    async raise(kind, alert) {
      const name = EVENT[kind];
      const event = createEvent(name, {
        source: '/notification',
        subject: alert.provider,
        time: deps.clock(),
        data: alert,
      }) as AnyCloudEvent;
      const text = describe(kind, alert);
      if (kind === 'degraded') deps.logger.error({ alert, eventId: event.id }, text);
      else deps.logger.warn({ alert, eventId: event.id }, text);
      await Promise.all([
        publish(event),
        deps.webhookUrl
          ? postAlertWebhook(deps.webhookUrl, { type: name, id: event.id, time: event.time, text, ...alert }, deps)
          : undefined,
      ]);
    },
  };
}

/**
 * One try with a timeout: a webhook that is down must not pile up retries during an outage. The URL
 * may hold the webhook's secret, so neither it nor a fetch error quoting it is ever logged.
 */
async function postAlertWebhook(url: string, body: unknown, deps: { webhookTimeoutMs: number; logger: Logger }): Promise<void> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(deps.webhookTimeoutMs),
      redirect: 'error',
    });
    await response.body?.cancel();
    if (!response.ok) deps.logger.error({ status: response.status }, 'alert webhook refused the alert');
  } catch (error) {
    // The reason only: a fetch error can quote the URL, and the URL can hold the webhook's secret.
    deps.logger.error({ reason: failureReason(error) }, 'alert webhook could not be reached');
  }
}

/** `text` makes the body readable as is by chat webhooks (Slack, Mattermost) as well as by programs. */
function describe(kind: 'degraded' | 'recovered', alert: DeliveryAlert): string {
  const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
  const figures = `${alert.failed} of ${alert.attempted} attempts failed (${percent(alert.failureRate)}) between ${alert.windowStart} and ${alert.windowEnd}`;
  return kind === 'degraded'
    ? `Email delivery through ${alert.provider} is degraded: ${figures}; the limit is ${percent(alert.threshold)}.`
    : `Email delivery through ${alert.provider} has recovered: ${figures}.`;
}

function failureReason(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown';
  if (error.name === 'TimeoutError') return 'timeout';
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : error.name;
}

/** The bounce-rate alert's webhook channel: the same webhook and body style as the delivery alerts. */
export function bounceRateWebhook(deps: { webhookUrl: string; webhookTimeoutMs: number; logger: Logger }) {
  return (kind: 'high' | 'recovered', figures: BounceRateFigures): Promise<void> => {
    const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`;
    const text =
      kind === 'high'
        ? `Email bounce rate is ${percent(figures.bounceRate)} (${figures.bounced} hard bounces and complaints for ${figures.sent} sent), over its limit of ${percent(figures.threshold)}.`
        : `Email bounce rate is back to ${percent(figures.bounceRate)}, under its limit of ${percent(figures.threshold)}.`;
    const type = kind === 'high' ? 'EmailBounceRateHigh' : 'EmailBounceRateRecovered';
    return postAlertWebhook(deps.webhookUrl, { type, time: figures.windowEnd, text, ...figures }, deps);
  };
}

/** The alert webhook's message when a webhook endpoint is disabled for failing (src/outbound-webhooks). */
export function webhookEndpointAlert(deps: { webhookUrl: string | undefined; webhookTimeoutMs: number; logger: Logger }) {
  return async (alert: { endpointId: string; failingSince: string; disabledAt: string }): Promise<void> => {
    if (!deps.webhookUrl) return;
    const text = `Webhook endpoint ${alert.endpointId} failed every delivery since ${alert.failingSince} and was disabled.`;
    await postAlertWebhook(deps.webhookUrl, { type: 'WebhookEndpointDisabled', time: alert.disabledAt, text, ...alert }, deps);
  };
}
