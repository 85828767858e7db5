import { Topics } from '@solar/contracts';
import {
  accessTokenVerifierFromConfig,
  connectMongo,
  createHttpApp,
  createSealer,
  EventConsumer,
  listen,
  loadConfig,
  OutboxRelay,
  OutboxWriter,
  requireAdmin,
  runStopSteps,
  serveMetrics,
  serviceKit,
  serviceMain,
  type Env,
  type Logger,
  type Service,
  type StopStep,
} from '@solar/chassis';
import { NotificationConfig } from './config';
import { deliverEmail } from './delivery/deliver-email.use-case';
import { deliveryModel } from './delivery/delivery.model';
import { DeliveryRepository } from './delivery/delivery.repository';
import { AbandonedDeliveries } from './delivery/resume-abandoned';
import { eraseUser } from './erasure/erase-user.use-case';
import { emailRequestedHandler } from './events/email-requested.consumer';
import { routeEvents } from './events/route-events';
import { userDeletedHandler } from './events/user-deleted.consumer';
import { bounceRateWebhook, deliveryAlerts } from './monitoring/delivery-alerts';
import { deliveryCounters, recordEach } from './monitoring/delivery-counters';
import { DeliveryMonitor } from './monitoring/delivery-monitor';
import { emailHealthRoutes } from './monitoring/email-health.routes';
import { emailMetricsRoutes } from './monitoring/email-metrics.routes';
import { ProviderReachability } from './monitoring/provider-reachability';
import { BounceRateMonitor } from './suppression/bounce-rate-monitor';
import { recordMailEvents } from './suppression/record-mail-events.use-case';
import { SuppressionRepository } from './suppression/suppression.repository';
import { emailWebhooks } from './webhooks/email-webhooks';
import { emailWebhooksRouter, WEBHOOKS_BODY_LIMIT, WEBHOOKS_PATH } from './webhooks/email-webhooks.routes';
import { WebhookTokenRepository } from './webhooks/webhook-token.repository';
import { createEmailProvider } from './providers/provider-registry';
import { brandFromConfig } from './templates/email-brand';
import { compileEmailTemplates } from './templates/render-email';

export function createNotificationService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(NotificationConfig, env);
  const { logger, health, metrics, kafka, publisher } = serviceKit({
    service: 'notification',
    config,
    publishes: [Topics.notificationDeliveries],
    logger: overrides.logger,
  });
  const clock = overrides.clock ?? (() => new Date());
  const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
  const provider = createEmailProvider(config);
  const brand = brandFromConfig(config);
  const monitor = new DeliveryMonitor({
    windowMs: config.EMAIL_ALERT_WINDOW,
    minAttempts: config.EMAIL_ALERT_MIN_ATTEMPTS,
    successThreshold: config.EMAIL_ALERT_SUCCESS_THRESHOLD,
    providers: [provider.name],
    alerts: deliveryAlerts({
      publisher,
      logger,
      clock,
      webhookUrl: config.ALERT_WEBHOOK_URL,
      webhookTimeoutMs: config.ALERT_WEBHOOK_TIMEOUT,
    }),
    clock,
    logger,
  });
  const reachability = new ProviderReachability({
    verify: () => provider.verify(),
    cacheMs: config.EMAIL_HEALTH_CACHE,
    timeoutMs: config.EMAIL_HEALTH_TIMEOUT,
    clock,
    logger,
  });
  const admin = requireAdmin(accessTokenVerifierFromConfig(config), logger);
  const counters = deliveryCounters(metrics);
  let stopSteps: StopStep[] = [];

  return {
    async start() {
      // Before any connection: a template MJML refuses stops the start instead of failing every email.
      await compileEmailTemplates(brand);
      const db = await connectMongo(config.MONGO_URL, { health });
      const deliveries = deliveryModel(db);
      await deliveries.init();
      const relay = new OutboxRelay({
        collections: [deliveries.collection],
        publisher,
        sealer,
        logger,
        clock,
        sweepIntervalMs: config.OUTBOX_SWEEP_INTERVAL,
        settleMs: config.OUTBOX_SETTLE,
        metrics,
      });
      const repository = new DeliveryRepository(deliveries, new OutboxWriter(relay, sealer, clock), sealer);
      const suppressions = await SuppressionRepository.open(db);
      const deliver = deliverEmail({
        deliveries: repository,
        provider,
        brand,
        from: config.EMAIL_FROM,
        messageIdDomain: config.MESSAGE_ID_DOMAIN,
        leaseMs: config.DELIVERY_LEASE,
        retry: { attempts: config.DELIVERY_RETRY_ATTEMPTS, initialMs: config.DELIVERY_RETRY_BASE, maxMs: config.DELIVERY_RETRY_MAX },
        sendTimeoutMs: config.PROVIDER_TIMEOUT,
        suppressions,
        monitor: recordEach(monitor, counters.emails),
        clock,
      });
      const erase = eraseUser({ deliver, deliveries: repository, suppressions });
      const bounceRate = new BounceRateMonitor({
        bounceStats: (since) => suppressions.bounceStats(since),
        sentSince: (since) => repository.countSentSince(since),
        settings: {
          threshold: config.EMAIL_BOUNCE_RATE_THRESHOLD,
          windowMs: config.EMAIL_BOUNCE_RATE_WINDOW,
          minSent: config.EMAIL_BOUNCE_RATE_MIN_SENT,
        },
        intervalMs: config.EMAIL_BOUNCE_RATE_CHECK_INTERVAL,
        clock,
        logger,
        ...(config.ALERT_WEBHOOK_URL
          ? { alert: bounceRateWebhook({ webhookUrl: config.ALERT_WEBHOOK_URL, webhookTimeoutMs: config.ALERT_WEBHOOK_TIMEOUT, logger }) }
          : {}),
      });
      const consumer = new EventConsumer({
        kafka,
        group: 'notification',
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        topics: [Topics.notificationEmailRequests, Topics.identityUser],
        handler: routeEvents(emailRequestedHandler(deliver, logger), userDeletedHandler(erase, logger)),
        db,
        publisher,
        logger,
        metrics,
      });
      consumer.registerHealth(health);
      const abandoned = new AbandonedDeliveries(repository, deliver, logger, config.DELIVERY_SWEEP_INTERVAL);
      const webhooks = emailWebhooks({
        config,
        record: recordMailEvents({ suppressions, clock, counter: counters.mailEvents }),
        tokens: await WebhookTokenRepository.open(db),
        clock,
        logger,
      });
      const app = createHttpApp({
        logger,
        health,
        metrics,
        rawBody: { paths: [WEBHOOKS_PATH], limit: WEBHOOKS_BODY_LIMIT },
        routes: (app) => {
          app.use(WEBHOOKS_PATH, emailWebhooksRouter(webhooks));
          emailHealthRoutes(app, { provider: provider.name, monitor, reachability, windowMs: config.EMAIL_ALERT_WINDOW });
          emailMetricsRoutes(app, { monitor, requireAdmin: admin });
        },
      });

      relay.start();
      await consumer.start();
      abandoned.start();
      bounceRate.start();
      monitor.start();
      const server = await listen(app, config.PORT, config.HOST);
      const metricsServer = await serveMetrics(metrics, config, config.PORT);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        ['consumer', () => consumer.stop()],
        ['abandoned deliveries', () => abandoned.stop()],
        ['bounce rate monitor', () => bounceRate.stop()],
        ['outbox relay', () => relay.stop()],
        ['delivery monitor', () => monitor.stop()],
        ['kafka producer', () => publisher.stop()],
        ['email provider', () => provider.close()],
        ['mongo', () => db.close()],
        ['metrics', () => metricsServer.close(1_000)],
      ];
      return { port: server.port, metricsPort: metricsServer.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

export const main = serviceMain('notification', NotificationConfig, createNotificationService);
