import { Topics } from '@solar/contracts';
import {
  brandFromConfig,
  createSealer,
  loadConfig,
  serviceMain,
  serviceRuntime,
  type Env,
  type Logger,
  type Service,
} from '@solar/chassis';
import { NotificationConfig } from './config';
import { dataExportFeature } from './data-export';
import { deliveryFeature } from './delivery';
import { RecipientCapRepository } from './delivery/recipient-cap.repository';
import { deliveryModel } from './delivery/delivery.model';
import { DeliveryRepository } from './delivery/delivery.repository';
import { erasureFeature } from './erasure';
import { FormerAddressRepository } from './erasure/former-address.repository';
import { outboundWebhooksFeature, PUBLIC_TOPICS } from './outbound-webhooks';
import { monitoringFeature } from './monitoring';
import { deliveryCounters, recordEach } from './monitoring/delivery-counters';
import { createEmailProvider } from './providers/provider-registry';
import { bounceRateFeature, suppressionAdminFeature } from './suppression';
import { SuppressionRepository } from './suppression/suppression.repository';
import { compileEmailTemplates } from './templates/render-email';
import { webhooksFeature } from './webhooks';
import { WEBHOOKS_BODY_LIMIT, WEBHOOKS_PATH } from './webhooks/email-webhooks.routes';
import { WebhookTokenRepository } from './webhooks/webhook-token.repository';

export function createNotificationService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(NotificationConfig, env);
  const provider = createEmailProvider(config);
  const brand = brandFromConfig(config);
  return serviceRuntime({
    service: 'notification',
    config,
    listen: { port: config.PORT, host: config.HOST },
    publishes: [Topics.notificationDeliveries, Topics.identityDataExportParts],
    mongoUrl: config.MONGO_URL,
    logger: overrides.logger,
    clock: overrides.clock,
    async compose(runtime) {
      const { db, publisher, metrics, clock, logger } = runtime;
      // A template MJML refuses stops the start instead of failing every email.
      await compileEmailTemplates(brand);
      const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
      const model = deliveryModel(db);
      await model.init();
      const outbox = runtime.outbox([model.collection, SuppressionRepository.removalsCollection(db)], sealer);
      const deliveries = new DeliveryRepository(model, outbox, sealer);
      const suppressions = await SuppressionRepository.open(db, outbox);
      const formerAddresses = await FormerAddressRepository.open(db);
      const tokens = await WebhookTokenRepository.open(db);
      const recipientCaps = await RecipientCapRepository.open(db);
      const counters = deliveryCounters(metrics);
      const monitoring = monitoringFeature({ config, provider, publisher, clock, logger });
      const monitor = recordEach(monitoring.monitor, counters.emails);
      const delivery = deliveryFeature({ config, deliveries, suppressions, recipientCaps, provider, brand, monitor, clock, logger });
      return {
        http: { rawBody: { paths: [WEBHOOKS_PATH], limit: WEBHOOKS_BODY_LIMIT } },
        features: [
          delivery,
          erasureFeature({ deliver: delivery.deliver, deliveries, suppressions, formerAddresses, logger }),
          bounceRateFeature({ config, suppressions, deliveries, clock, logger }),
          suppressionAdminFeature({ config, suppressions, clock, logger }),
          webhooksFeature({ config, suppressions, tokens, mailEvents: counters.mailEvents, clock, logger }),
          monitoring,
          dataExportFeature({ deliveries, suppressions, publish: (events) => publisher.publish(events), clock }),
          await outboundWebhooksFeature({ config, db, sealer, metrics, sendEmail: delivery.deliver, clock, logger }),
        ],
        // Delivering what others request is this service's job: not ready until it consumes.
        // Every public topic too: webhooks offer each public event type of contracts' catalog.
        consumer: {
          group: 'notification',
          topics: [...new Set<string>([Topics.notificationEmailRequests, Topics.identityUser, ...PUBLIC_TOPICS])],
          critical: true,
        },
        workers: [{ name: 'email provider', stop: () => provider.close() }],
      };
    },
  });
}

export const main = serviceMain('notification', NotificationConfig, createNotificationService);
