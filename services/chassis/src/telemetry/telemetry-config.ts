import { z } from 'zod';
import { NODE_ENV } from '../config/node-env';

// An empty variable (a compose file's `SENTRY_DSN: ""`, a copied .env.example) means unset, as the SDK reads it.
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema);
const optionalUrl = unsetIfEmpty(z.url().optional());

/**
 * What telemetry reads before the service's own configuration: the standard OpenTelemetry variables
 * (the SDK reads them itself; they are listed here so a typo fails at start and the configuration
 * reference names them) and Sentry's DSN.
 */
export const telemetryConfigShape = {
  /** Service name on every span; defaults to the service's own name. */
  OTEL_SERVICE_NAME: unsetIfEmpty(z.string().optional()),
  /** OTLP/HTTP collector (Jaeger, an OpenTelemetry Collector): spans go to <url>/v1/traces. Unset: no spans leave the process. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl,
  /** The full traces URL, when it is not <OTEL_EXPORTER_OTLP_ENDPOINT>/v1/traces. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl,
  /** Which traces are kept, as the OpenTelemetry SDK reads it (parentbased_traceidratio with OTEL_TRACES_SAMPLER_ARG=0.1 keeps 10%). */
  OTEL_TRACES_SAMPLER: unsetIfEmpty(
    z
      .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
      .default('parentbased_always_on'),
  ),
  /** The ratio for the traceidratio samplers, 0 to 1. */
  OTEL_TRACES_SAMPLER_ARG: unsetIfEmpty(z.coerce.number().min(0).max(1).optional()),
  /** Extra resource attributes, `key=value,key=value` (e.g. service.namespace, deployment.environment.name). */
  OTEL_RESOURCE_ATTRIBUTES: z.string().optional(),
  /** true turns tracing off altogether (no spans, no trace ids in logs). */
  OTEL_SDK_DISABLED: unsetIfEmpty(z.enum(['true', 'false']).default('false')),
  /** Sentry project DSN: unhandled errors (500s, failed jobs, dead-lettered events) are reported there. Unset: nothing is sent. */
  SENTRY_DSN: optionalUrl,
  /** The environment Sentry files errors under; defaults to NODE_ENV. */
  SENTRY_ENVIRONMENT: unsetIfEmpty(z.string().optional()),
};

export const TelemetryConfig = z.object({
  NODE_ENV,
  ...telemetryConfigShape,
});
export type TelemetryConfig = z.output<typeof TelemetryConfig>;
