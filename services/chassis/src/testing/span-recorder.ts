import type * as Sdk from '@opentelemetry/sdk-node';

export type RecordedSpan = Sdk.tracing.ReadableSpan;

/**
 * Registers a tracer provider for this test file (each Jest file has its own globals) that keeps
 * every finished span in memory, with the context manager and W3C propagator a service process gets
 * from the SDK. Spans come from our own code (withSpan, continueTrace, the consumer and relay) or the
 * test's manual spans; library instrumentation needs require hooks, which Jest bypasses.
 */
export function recordSpans() {
  // Loaded here, not with the testing kit: most test files never trace and need not load the SDK.
  const { node, tracing } = require('@opentelemetry/sdk-node') as typeof Sdk;
  const exporter = new tracing.InMemorySpanExporter();
  const provider = new node.NodeTracerProvider({ spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] });
  provider.register();
  return {
    spans: (): RecordedSpan[] => exporter.getFinishedSpans(),
    stop: () => provider.shutdown(),
  };
}
