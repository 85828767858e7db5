import { Topics } from '@solar/contracts';
import {
  connectMongo,
  createHttpApp,
  listen,
  loadConfig,
  runStopSteps,
  serviceKit,
  serviceMain,
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
  const { logger, health, publisher } = serviceKit({
    service: 'lifecycle',
    config,
    publishes: [Topics.lifecycle],
    logger: overrides.logger,
  });
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

export const main = serviceMain('lifecycle', LifecycleConfig, createLifecycleService);
