import { Topics } from '@solar/contracts';
import {
  Health,
  Publisher,
  createHttpApp,
  createKafka,
  createLogger,
  connectMongo,
  listen,
  loadConfig,
  runMain,
  runStopSteps,
  type Env,
  type Logger,
  type Service,
  type StopStep,
} from '@solar/chassis';
import { LifecycleConfig } from './config';

/**
 * The system's clock. Its jobs (grace-period purges, cleanups, monthly resets) run on Agenda in its
 * own database; this composition root wires the connections they share.
 */
export function createLifecycleService(env: Env = process.env, overrides: { logger?: Logger } = {}): Service {
  const config = loadConfig(LifecycleConfig, env);
  const logger = overrides.logger ?? createLogger({ service: 'lifecycle', level: config.LOG_LEVEL });
  const health = new Health();
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? 'lifecycle', topicPrefix: config.KAFKA_TOPIC_PREFIX }, logger);
  const publisher = new Publisher(kafka, config.KAFKA_TOPIC_PREFIX, logger, [Topics.lifecycle]);
  publisher.registerHealth(health);
  let stopSteps: StopStep[] = [];

  return {
    async start() {
      const db = await connectMongo(config.MONGO_URL, { health });
      publisher.connect().catch(() => undefined);
      const server = await listen(createHttpApp({ logger, health, routes: () => undefined }), config.PORT, config.HOST);
      stopSteps = [
        ['readiness', () => health.startDraining()],
        ['http', () => server.close(config.SHUTDOWN_TIMEOUT / 2)],
        ['kafka producer', () => publisher.stop()],
        ['mongo', () => db.close()],
      ];
      return { port: server.port };
    },
    stop: () => runStopSteps(stopSteps, logger),
  };
}

export function main(): void {
  const config = loadConfig(LifecycleConfig);
  const logger = createLogger({ service: 'lifecycle', level: config.LOG_LEVEL });
  runMain(createLifecycleService(process.env, { logger }), logger, config.SHUTDOWN_TIMEOUT);
}
