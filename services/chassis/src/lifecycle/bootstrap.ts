import { ConfigError } from '../config/config';

/**
 * The first code a deployed process runs. Telemetry must start here, before the service's modules
 * are required, because its instrumentation patches express, mongodb, ioredis and kafkajs as they
 * load; only then is the service itself loaded and run. A configuration error ends the process with
 * the list of bad variables and no stack trace.
 */
export function bootstrap(loadService: () => { main: () => void }): void {
  try {
    loadService().main();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78); // EX_CONFIG
  }
}
