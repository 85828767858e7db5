import type { z } from 'zod';
import { loadConfig, type Env, type baseConfigShape } from '../config/config';
import { Health } from '../http/health';
import { createKafka } from '../kafka/kafka';
import { Publisher } from '../kafka/publisher';
import { createLogger, type Logger } from '../logger';
import { Metrics } from '../metrics/metrics';
import { runMain, type Service } from './service';

type BaseConfig = z.output<z.ZodObject<typeof baseConfigShape>>;

/** What every service wires the same way: its logger, health registry, metrics registry, Kafka client and producer. */
export function serviceKit(options: { service: string; config: BaseConfig; publishes: string[]; logger?: Logger | undefined }) {
  const { service, config } = options;
  const logger = options.logger ?? createLogger({ service, level: config.LOG_LEVEL });
  const health = new Health();
  const metrics = new Metrics(service);
  const kafka = createKafka(
    { brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? service, topicPrefix: config.KAFKA_TOPIC_PREFIX },
    logger,
  );
  const publisher = new Publisher(kafka, config.KAFKA_TOPIC_PREFIX, logger, options.publishes);
  publisher.registerHealth(health);
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
