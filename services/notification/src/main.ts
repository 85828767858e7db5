import { Topics } from '@solar/contracts';
import {
  connectMongo,
  createHttpApp,
  createSealer,
  EventConsumer,
  listen,
  loadConfig,
  OutboxRelay,
  OutboxWriter,
  runStopSteps,
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
import { emailRequestedHandler } from './events/email-requested.consumer';
import { smtpProvider } from './providers/smtp-provider';

export function createNotificationService(env: Env = process.env, overrides: { logger?: Logger; clock?: () => Date } = {}): Service {
  const config = loadConfig(NotificationConfig, env);
  const { logger, health, kafka, publisher } = serviceKit({
    service: 'notification',
    config,
    publishes: [Topics.notificationDeliveries],
    logger: overrides.logger,
  });
  const clock = overrides.clock ?? (() => new Date());
  const sealer = createSealer(config.DATA_ENCRYPTION_KEYS);
  const provider = smtpProvider({
    host: config.SMTP_HOST,
    port: config.SMTP_PORT,
    secure: config.SMTP_SECURE,
    user: config.SMTP_USER,
    password: config.SMTP_PASSWORD,
  });
  let stopSteps: StopStep[] = [];

  return {
    async start() {
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
      });
      const repository = new DeliveryRepository(deliveries, new OutboxWriter(relay, sealer, clock), sealer);
      const deliver = deliverEmail({
        deliveries: repository,
        provider,
        brand: { name: config.BRAND_NAME },
        from: config.EMAIL_FROM,
        messageIdDomain: config.MESSAGE_ID_DOMAIN,
        leaseMs: config.DELIVERY_LEASE,
        clock,
      });
      const consumer = new EventConsumer({
        kafka,
        group: 'notification',
        topicPrefix: config.KAFKA_TOPIC_PREFIX,
        topics: [Topics.notificationEmailRequests],
        handler: emailRequestedHandler(deliver, logger),
        db,
        publisher,
        logger,
      });
      consumer.registerHealth(health);
      const abandoned = new AbandonedDeliveries(repository, deliver, logger, config.DELIVERY_SWEEP_INTERVAL);
      const app = createHttpApp({ logger, health, routes: () => undefined });

      relay.start();
      await consumer.start();
      abandoned.start();
      const server = await listen(app, config.PORT, config.HOST);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        ['consumer', () => consumer.stop()],
        ['abandoned deliveries', () => abandoned.stop()],
        ['outbox relay', () => relay.stop()],
        ['kafka producer', () => publisher.stop()],
        ['smtp', () => provider.close()],
        ['mongo', () => db.close()],
      ];
      return { port: server.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

export const main = serviceMain('notification', NotificationConfig, createNotificationService);
