import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { Topics } from '@solar/contracts';
import { EventConsumer, Publisher, createKafka, type Health, type Logger, type Metrics } from '@solar/chassis';
import { monthlyQuota } from './monthly-quota';
import { monthlyQuotaResetHandler } from './quota-reset.consumer';
import { QuotaStore } from './quota-store';

export interface MonthlyQuotas {
  middleware: RequestHandler;
  /** Joins the consumer group in the background: a gateway whose Kafka is late still serves. */
  start(): void;
  stop(): Promise<void>;
}

/** The quota counter and the MonthlyQuotaResetDue consumer, wired from the gateway's configuration. */
export function createMonthlyQuotas(deps: {
  config: { QUOTA_USER: number; QUOTA_ADMIN: number; KAFKA_CLIENT_ID?: string | undefined; KAFKA_TOPIC_PREFIX: string };
  brokers: string[];
  redis: Redis;
  health: Health;
  clock: () => Date;
  logger: Logger;
  metrics: Metrics;
}): MonthlyQuotas {
  const { config, logger, clock, metrics } = deps;
  const store = new QuotaStore(deps.redis);
  const kafka = createKafka(
    { brokers: deps.brokers, clientId: config.KAFKA_CLIENT_ID ?? 'gateway', topicPrefix: config.KAFKA_TOPIC_PREFIX },
    logger,
  );
  // Publishes nothing of its own: the consumer parks what it cannot process on its dead-letter topic.
  const publisher = new Publisher(kafka, config.KAFKA_TOPIC_PREFIX, logger);
  const consumer = new EventConsumer({
    kafka,
    group: 'gateway',
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    topics: [Topics.lifecycle],
    handler: monthlyQuotaResetHandler({ store, clock, logger }),
    publisher,
    logger,
    metrics,
  });
  // Serving goes on without it: only the month's report waits for Kafka.
  consumer.registerHealth(deps.health, { critical: false });
  let consuming: Promise<void> | undefined;
  return {
    middleware: monthlyQuota({ store, quotas: { user: config.QUOTA_USER, admin: config.QUOTA_ADMIN }, clock, logger, metrics }),
    start() {
      consuming = consumer.start().catch((error: unknown) => logger.error({ err: error }, 'the quota reset consumer did not start'));
    },
    async stop() {
      // Stopping a consumer that is still joining its group would leave the join running.
      await consuming;
      await consumer.stop();
      await publisher.stop();
    },
  };
}
