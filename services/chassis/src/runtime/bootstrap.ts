import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { startErrorTracking, stopErrorTracking } from '../telemetry/error-tracking';
import { beforeExit } from '../telemetry/exit-hooks';
import { startTelemetry, stopTelemetry } from '../telemetry/telemetry';
import { TelemetryConfig } from '../telemetry/telemetry-config';

/**
 * The first code a deployed process runs (`server.ts`, which imports this module alone through
 * `@solar/chassis/bootstrap`). Telemetry starts here, before the service's modules are required,
 * because its instrumentation patches http, express, mongodb, ioredis and kafkajs as they load; only
 * then is the service itself loaded and run. A configuration error ends the process with the list of
 * bad variables and no stack trace.
 */
export function bootstrap(service: string, loadService: () => { main: () => void }): void {
  try {
    const config = loadConfig(TelemetryConfig);
    const version = packageVersion();
    startTelemetry({ name: service, version }, config);
    beforeExit(stopTelemetry);
    if (config.SENTRY_DSN) {
      startErrorTracking({
        dsn: config.SENTRY_DSN,
        environment: config.SENTRY_ENVIRONMENT ?? config.NODE_ENV,
        release: `${service}@${version}`,
      });
      beforeExit(stopErrorTracking);
    }
    loadService().main();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}

/** The version in the package.json nearest the entry point (services/<name>/package.json). */
function packageVersion(): string {
  let dir = dirname(require.main?.filename ?? process.cwd());
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '0.0.0';
    const parent = dirname(dir);
    if (parent === dir) return '0.0.0';
    dir = parent;
  }
}
