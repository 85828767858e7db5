import type { AnyCloudEvent } from '@solar/contracts';
import {
  accessTokenVerifierFromConfig,
  requireAdmin,
  sessionIntrospectorFromConfig,
  type Feature,
  type Logger,
  type Metrics,
  type Sealer,
} from '@solar/chassis';
import type { Connection } from 'mongoose';
import type { NotificationConfig } from '../config';
import { webhookEndpointAlert } from '../monitoring/delivery-alerts';
import { deliverDue } from './deliver-webhooks.job';
import { endpointDisabledAlert, type DisabledAlertDeps } from './endpoint-disabled.alert';
import { createEndpoint, deleteEndpoint, rotateSecret, updateEndpoint } from './manage-endpoints.use-case';
import { outboundWebhookRoutes } from './outbound-webhooks.routes';
import { queueEvent, replayWindow, sendTestEvent, wantsEvent } from './queue-events.use-case';
import { WebhookDeliveryRepository } from './webhook-delivery.repository';
import { WebhookEndpointRepository } from './webhook-endpoint.repository';
import { WebhookEventRepository } from './webhook-event.repository';
import { WebhookPoller } from './webhook-poller';
import { sendWebhook } from './webhook-sender';

export { PUBLIC_TOPICS } from './public-event-types';

/**
 * Webhooks integrators register for public events: the admin API, the consumer that queues each
 * public event for the endpoints that want it (and says which events those are), and the round that
 * delivers, retries and disables.
 */
export async function outboundWebhooksFeature(deps: {
  config: NotificationConfig;
  db: Connection;
  sealer: Sealer;
  metrics: Metrics;
  sendEmail: DisabledAlertDeps['sendEmail'];
  clock: () => Date;
  logger: Logger;
}): Promise<Feature> {
  const { config, clock, logger } = deps;
  const endpoints = await WebhookEndpointRepository.open(deps.db, deps.sealer, { ttlMs: config.WEBHOOK_SUBSCRIPTIONS_TTL, clock });
  const deliveries = await WebhookDeliveryRepository.open(deps.db);
  const events = await WebhookEventRepository.open(deps.db, deps.sealer);
  const manage = { endpoints, deliveries, allowedHosts: config.WEBHOOK_ALLOWED_HOSTS, clock };
  const queue = { endpoints, deliveries, events, retentionMs: config.WEBHOOK_EVENT_RETENTION, clock };
  const queueOne = queueEvent(queue);
  const onDisabled = endpointDisabledAlert({
    metrics: deps.metrics,
    logger,
    postAlert: webhookEndpointAlert({ webhookUrl: config.ALERT_WEBHOOK_URL, webhookTimeoutMs: config.ALERT_WEBHOOK_TIMEOUT, logger }),
    sendEmail: deps.sendEmail,
    adminEmails: config.WEBHOOK_ADMIN_EMAILS,
    locale: config.WEBHOOK_ADMIN_LOCALE,
  });
  const round = deliverDue({
    endpoints,
    deliveries,
    events,
    send: sendWebhook,
    onDisabled,
    policy: {
      retryForMs: config.WEBHOOK_RETRY_FOR,
      disableAfterMs: config.WEBHOOK_DISABLE_AFTER,
      backoff: { initialMs: config.WEBHOOK_RETRY_BASE, maxMs: config.WEBHOOK_RETRY_MAX },
      timeoutMs: config.WEBHOOK_TIMEOUT,
      leaseMs: config.WEBHOOK_LEASE,
      allowedHosts: config.WEBHOOK_ALLOWED_HOSTS,
    },
    clock,
    logger,
  });
  const poller = new WebhookPoller(round, () => events.prune(clock()), config.WEBHOOK_POLL_INTERVAL, logger);
  const admin = requireAdmin(accessTokenVerifierFromConfig(config), logger, sessionIntrospectorFromConfig(config));
  return {
    routes: (app) =>
      outboundWebhookRoutes(app, {
        requireAdmin: admin,
        endpoints,
        deliveries,
        create: createEndpoint(manage),
        update: updateEndpoint(manage),
        remove: deleteEndpoint(manage),
        rotate: rotateSecret(manage),
        replay: replayWindow(queue),
        test: sendTestEvent(queue),
      }),
    handlers: [(event: AnyCloudEvent) => queueOne(event)],
    wants: wantsEvent(queue),
    workers: [{ name: 'webhook deliveries', start: () => poller.start(), stop: () => poller.stop() }],
  };
}
