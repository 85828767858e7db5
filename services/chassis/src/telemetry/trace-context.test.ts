import { ROOT_CONTEXT, context, trace } from '@opentelemetry/api';
import { capturingLogger } from '../testing/capturing-logger';
import { recordSpans } from '../testing/span-recorder';
import { activeTraceIds, captureTraceContext, continueTrace, withSpan } from './trace-context';

const recorder = recordSpans();

afterAll(() => recorder.stop());

describe('trace context', () => {
  it('captures nothing and reports no ids outside a trace', () => {
    expect(captureTraceContext()).toEqual({});
    expect(activeTraceIds()).toBeUndefined();
  });

  it('continues a captured trace later, outside the operation that captured it', async () => {
    let carrier: Record<string, string> = {};
    const origin = await withSpan('request', {}, async (span) => {
      carrier = captureTraceContext();
      return span.spanContext();
    });
    expect(carrier.traceparent).toBe(`00-${origin.traceId}-${origin.spanId}-01`);

    const later = await context.with(ROOT_CONTEXT, () => continueTrace(carrier, 'later', {}, async (span) => span.spanContext()));
    expect(later.traceId).toBe(origin.traceId);
    const span = recorder.spans().find((s) => s.spanContext().spanId === later.spanId);
    expect(span?.parentSpanContext?.spanId).toBe(origin.spanId);
  });

  it('starts a new trace when there is nothing to continue', async () => {
    const ids = await continueTrace(undefined, 'sweep', {}, async (span) => span.spanContext());
    const span = recorder.spans().find((s) => s.spanContext().spanId === ids.spanId);
    expect(span?.parentSpanContext).toBeUndefined();
  });

  it('marks a span whose work fails, and passes the error on', async () => {
    await expect(withSpan('failing', {}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(recorder.spans().find((s) => s.name === 'failing')?.status).toMatchObject({ code: 2, message: 'boom' });
  });

  it('writes the trace and span ids into log lines inside a span, and none outside', async () => {
    const lines: string[] = [];
    const logger = capturingLogger('trace-test', lines);
    const ids = await withSpan('logged', {}, async (span) => {
      logger.info('inside');
      return span.spanContext();
    });
    logger.info('outside');
    const [inside, outside] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(inside).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(outside).not.toHaveProperty('trace_id');
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
