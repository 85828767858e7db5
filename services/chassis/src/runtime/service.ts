import type { Logger } from '../logger';
import { reportError } from '../telemetry/error-tracking';
import { runExitHooks } from '../telemetry/exit-hooks';

export interface Service {
  /** Resolves once the service takes traffic; returns the HTTP port it listens on and its /metrics port. */
  start(): Promise<{ port: number; metricsPort?: number }>;
  /** Drains in order: readiness off, HTTP, consumers and jobs, producer, connections. */
  stop(): Promise<void>;
}

/** One shutdown step; a failure is logged and the next step still runs. */
export type StopStep = readonly [name: string, stop: () => Promise<void> | void];

export async function runStopSteps(steps: StopStep[], logger: Logger): Promise<void> {
  for (const [name, stop] of steps) {
    try {
      await stop();
    } catch (error) {
      logger.error({ err: error, step: name }, 'shutdown step failed');
    }
  }
}

/**
 * Entry point of a deployed process: starts the service, and on SIGTERM or SIGINT stops it in order
 * and exits. A second signal, or a stop that outlives the deadline, exits at once.
 */
export function runMain(service: Service, logger: Logger, shutdownTimeoutMs: number): void {
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed: exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    service.stop().then(
      async () => {
        // Buffered spans and error reports go out last: the drain itself is traced.
        await runExitHooks();
        clearTimeout(deadline);
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      },
      async (error: unknown) => {
        logger.fatal({ err: error }, 'stop failed');
        reportError(error, { tags: { stage: 'stop' } });
        await runExitHooks();
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.error({ err: reason }, 'unhandled rejection');
    reportError(reason, { tags: { kind: 'unhandled_rejection' } });
  });

  service.start().then(
    ({ port, metricsPort }) => logger.info({ port, metricsPort }, 'started'),
    async (error: unknown) => {
      logger.fatal({ err: error }, 'start failed');
      logger.flush();
      reportError(error, { tags: { stage: 'start' } });
      await runExitHooks();
      process.exit(1);
    },
  );
}
