import type { EmailRequestedV1, Locale } from '@solar/contracts';
import type { Logger, Metrics } from '@solar/chassis';
import type { WebhookEndpointRecord } from './webhook-endpoint.repository';

export interface DisabledAlertDeps {
  metrics: Metrics;
  logger: Logger;
  /** The alert webhook (ALERT_WEBHOOK_URL), when one is configured. */
  postAlert: (alert: { endpointId: string; failingSince: string; disabledAt: string }) => Promise<void>;
  /** Notification's own email path, as for every other email. */
  sendEmail: (request: { eventId: string; data: EmailRequestedV1 }) => Promise<unknown>;
  adminEmails: readonly string[];
  locale: Locale;
}

/**
 * An endpoint disabled for failing: an error log line, the counter an alert rule watches, the alert
 * webhook and an email to each webhook admin. Called once per disabling (the update that disabled
 * it decides which replica calls it).
 */
export function endpointDisabledAlert(deps: DisabledAlertDeps) {
  const disabledTotal = deps.metrics.counter({
    name: 'solar_notification_webhook_endpoints_disabled_total',
    help: 'Webhook endpoints disabled because every delivery failed for WEBHOOK_DISABLE_AFTER',
  });
  return async (endpoint: WebhookEndpointRecord): Promise<void> => {
    const failingSince = (endpoint.failingSince ?? endpoint.updatedAt).toISOString();
    // The id only: a URL can hold the receiver's own secret token.
    deps.logger.error({ endpointId: endpoint._id, failingSince }, 'webhook endpoint disabled: every delivery failed for too long');
    disabledTotal.inc();
    await deps.postAlert({ endpointId: endpoint._id, failingSince, disabledAt: endpoint.updatedAt.toISOString() });
    for (const to of deps.adminEmails) {
      await deps.sendEmail({
        eventId: `webhook-disabled.${endpoint._id}.${endpoint.updatedAt.getTime()}.${to}`,
        data: {
          template: 'webhook-endpoint-disabled',
          to,
          locale: deps.locale,
          variables: { endpoint: endpointLabel(endpoint), failingSince },
          sealedVariables: {},
        },
      });
    }
  };
}

/** Host and description: never the path or query, which may carry the receiver's token; no scheme, so mail clients make no link of it. */
function endpointLabel(endpoint: WebhookEndpointRecord): string {
  const { host } = new URL(endpoint.url);
  return endpoint.description ? `${host} (${endpoint.description})` : host;
}
