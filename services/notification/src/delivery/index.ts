import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import { createSealer, type Feature, type Logger } from '@solar/chassis';
import type { NotificationConfig } from '../config';
import { emailRequestedHandler } from '../events/email-requested.consumer';
import type { OutcomeRecorder } from '../monitoring/delivery-monitor';
import type { EmailProvider } from '../providers/email-provider';
import type { SuppressionRepository } from '../suppression/suppression.repository';
import type { Brand } from '../templates/render-email';
import { deliverEmail } from './deliver-email.use-case';
import type { DeliveryRepository } from './delivery.repository';
import type { RecipientCapRepository } from './recipient-cap.repository';
import { AbandonedDeliveries } from './resume-abandoned';

export type DeliveryFeature = Feature & {
  /** Delivers one request; erasure finishes a user's pending deliveries with it. */
  deliver: ReturnType<typeof deliverEmail>;
};

/** Sends the emails other services request, and finishes those a stopped worker left half done. */
export function deliveryFeature(deps: {
  config: NotificationConfig;
  deliveries: DeliveryRepository;
  suppressions: SuppressionRepository;
  recipientCaps: RecipientCapRepository;
  provider: EmailProvider;
  brand: Brand;
  monitor: OutcomeRecorder;
  clock: () => Date;
  logger: Logger;
}): DeliveryFeature {
  const { config, logger } = deps;
  const deliver = deliverEmail({
    deliveries: deps.deliveries,
    provider: deps.provider,
    brand: deps.brand,
    linkOrigin: new URL(config.APP_URL).origin,
    linkSealer: createSealer(config.EMAIL_LINK_KEYS),
    from: config.EMAIL_FROM,
    messageIdDomain: config.MESSAGE_ID_DOMAIN,
    leaseMs: config.DELIVERY_LEASE,
    retry: { attempts: config.DELIVERY_RETRY_ATTEMPTS, initialMs: config.DELIVERY_RETRY_BASE, maxMs: config.DELIVERY_RETRY_MAX },
    sendTimeoutMs: config.PROVIDER_TIMEOUT,
    suppressions: deps.suppressions,
    monitor: deps.monitor,
    recipientCap: {
      take: (to, template, limit, now) => deps.recipientCaps.take(to, template, limit, now),
      limit: config.EMAIL_RECIPIENT_HOURLY_LIMIT,
    },
    clock: deps.clock,
  });
  const abandoned = new AbandonedDeliveries(deps.deliveries, deliver, logger, config.DELIVERY_SWEEP_INTERVAL);
  return {
    deliver,
    handlers: [emailRequestedHandler(deliver, logger)],
    wants: (event: AnyCloudEvent) => isEvent(event, 'EmailRequested'),
    workers: [{ name: 'abandoned deliveries', start: () => abandoned.start(), stop: () => abandoned.stop() }],
  };
}
