import type { z } from 'zod';
import { loadConfig, type Env } from '../config/config';
import { Health } from '../http/health';
import { createKafka, kafkaSecurity } from '../kafka/kafka';
import { Publisher } from '../kafka/publisher';
import { createLogger, type Logger } from '../logger';
import { Metrics } from '../metrics/metrics';
import { runMain, type Service } from './service';
import type { RuntimeConfig } from './service-runtime';

/** What every service wires the same way: its logger, health registry, metrics registry, Kafka client and producer. */
export function serviceKit(options: {
  service: string;
  config: Pick<
    RuntimeConfig,
    | 'LOG_LEVEL'
    | 'KAFKA_BROKERS'
    | 'KAFKA_CLIENT_ID'
    | 'KAFKA_TOPIC_PREFIX'
    | 'KAFKA_SSL'
    | 'KAFKA_SASL_MECHANISM'
    | 'KAFKA_SASL_USERNAME'
    | 'KAFKA_SASL_PASSWORD'
  >;
  /** Base topic names the service publishes to; its producer's health is reported only if there are some. */
  publishes: string[];
  logger?: Logger | undefined;
}) {
  const { service, config } = options;
  const logger = options.logger ?? createLogger({ service, level: config.LOG_LEVEL });
  const health = new Health();
  const metrics = new Metrics(service);
  const kafka = createKafka(
    {
      brokers: config.KAFKA_BROKERS ?? [],
      clientId: config.KAFKA_CLIENT_ID ?? service,
      topicPrefix: config.KAFKA_TOPIC_PREFIX,
      ...kafkaSecurity(config),
    },
    logger,
  );
  const publisher = new Publisher(kafka, config.KAFKA_TOPIC_PREFIX, logger, options.publishes);
  if (options.publishes.length > 0) publisher.registerHealth(health);
  return { logger, health, metrics, kafka, publisher };
}

/** The `main()` of a deployed service: reads its configuration, then runs it until SIGTERM. */
export function serviceMain<S extends z.ZodType<{ LOG_LEVEL: string; SHUTDOWN_TIMEOUT: number }>>(
  service: string,
  schema: S,
  create: (env: Env, overrides: { logger: Logger }) => Service,
): () => void {
  return () => {
    const config = loadConfig(schema);
    const logger = createLogger({ service, level: config.LOG_LEVEL });
    runMain(create(process.env, { logger }), logger, config.SHUTDOWN_TIMEOUT);
  };
}
