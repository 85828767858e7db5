import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api';

export { SpanKind };

/**
 * The W3C Trace Context (`traceparent`, and `tracestate` when there is one) of an operation, kept with
 * work that finishes later and elsewhere: an outbox entry published by the relay, a delivery resumed
 * by the sweep. Empty when nothing is being traced.
 */
export type TraceCarrier = Record<string, string>;

const tracer = () => trace.getTracer('@solar/chassis');

/** The active context as headers, to store beside the work it started. */
export function captureTraceContext(from: Context = context.active()): TraceCarrier {
  const carrier: TraceCarrier = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The trace and span ids of the active span, for log lines and error reports; undefined outside a trace. */
export function activeTraceIds(): { trace_id: string; span_id: string } | undefined {
  const span = trace.getActiveSpan();
  if (!span) return undefined;
  const { traceId, spanId } = span.spanContext();
  if (!trace.isSpanContextValid(span.spanContext())) return undefined;
  return { trace_id: traceId, span_id: spanId };
}

/**
 * Runs `work` in a span of its own, a child of the active span. An error marks the span and goes on
 * to the caller. Attributes must not carry personal data (no addresses, no tokens).
 */
export function withSpan<T>(
  name: string,
  options: { attributes?: Attributes; kind?: SpanKind; parent?: Context },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = options.parent ?? context.active();
  return tracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes ?? {} },
    parent,
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Runs `work` in a span continuing the trace that `carrier` recorded, so work done later (by the
 * outbox relay, a sweep) shows under the request that caused it. Without a carrier it is a new trace.
 */
export function continueTrace<T>(
  carrier: TraceCarrier | null | undefined,
  name: string,
  options: { attributes?: Attributes; kind?: SpanKind },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = carrier && Object.keys(carrier).length > 0 ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT;
  return withSpan(name, { ...options, parent }, work);
}

/** The span a kafkajs record carries, or the active one when kafkajs's instrumentation already opened it. */
export function contextOfRecord(headers: Record<string, unknown>): Context {
  if (trace.getActiveSpan()) return context.active();
  const carrier: TraceCarrier = {};
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') carrier[name] = value;
    else if (Buffer.isBuffer(value)) carrier[name] = value.toString('utf8');
  }
  return propagation.extract(ROOT_CONTEXT, carrier);
}
