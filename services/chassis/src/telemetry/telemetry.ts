import type { IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { AlwaysOffSampler, BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { TelemetryConfig } from './telemetry-config';

/** Probes and scrapes: thousands of spans a day that say nothing. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

let sdk: NodeSDK | undefined;

/**
 * Starts the OpenTelemetry SDK: spans for incoming and outgoing HTTP, Express routes, MongoDB,
 * Redis and Kafka, with W3C trace context in HTTP and Kafka headers. Spans are exported over
 * OTLP/HTTP when an endpoint is configured. Without one nothing is recorded, but every operation
 * still gets a trace id, carried on to other services, and log lines name it. Metrics and logs are not exported through OpenTelemetry: metrics
 * are Prometheus's /metrics, logs are stdout.
 */
export function startTelemetry(service: { name: string; version: string }, config: TelemetryConfig): void {
  if (sdk || config.OTEL_SDK_DISABLED === 'true') return;
  const exporting = Boolean(config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? config.OTEL_EXPORTER_OTLP_ENDPOINT);
  sdk = new NodeSDK({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, read by the SDK's environment detector, win over these.
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: service.name, [ATTR_SERVICE_VERSION]: service.version }),
    // The exporter reads the endpoint (and headers, timeout) from the standard OTEL_EXPORTER_OTLP_* variables.
    spanProcessors: [exporting ? new BatchSpanProcessor(new OTLPTraceExporter()) : new NoopSpanProcessor()],
    // Unsampled spans still have ids (for logs and propagation) but cost next to nothing to make;
    // otherwise OTEL_TRACES_SAMPLER decides, as the SDK reads it.
    ...(exporting ? {} : { sampler: new AlwaysOffSampler() }),
    // Left out, the SDK would start OTLP metric and log exporters aimed at localhost:4318.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request: IncomingMessage) => UNTRACED_PATHS.has((request.url ?? '').split('?')[0] ?? ''),
      }),
      // Route handlers only (they name the route on the server span): a span per middleware and router is noise.
      new ExpressInstrumentation({ ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER] }),
      new MongoDBInstrumentation(),
      // Rate-limit and quota keys hold client addresses and account ids: the command name is enough.
      new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
      new KafkaJsInstrumentation(),
    ],
  });
  sdk.start();
}

/** Sends the spans still buffered; part of every shutdown, after the service has stopped. */
export async function stopTelemetry(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
