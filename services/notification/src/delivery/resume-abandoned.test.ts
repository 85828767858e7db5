import { activeTraceIds, createLogger } from '@solar/chassis';
import { recordSpans } from '@solar/chassis/testing';
import { AbandonedDeliveries } from './resume-abandoned';
import type { EmailRequest } from './deliver-email.use-case';

const recorder = recordSpans();
afterAll(() => recorder.stop());

const logger = createLogger({ service: 'resume-test', level: 'silent' });
const payload = JSON.stringify({ template: 'verify-email', to: 'ada@example.test', locale: 'en', variables: {} });

describe('AbandonedDeliveries', () => {
  it('finishes an abandoned delivery in the trace of the request that asked for it, not in a trace of its own', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const requestSpanId = '00f067aa0ba902b7';
    const seen: { eventId: string; traceId: string | undefined }[] = [];
    const deliver = async (request: EmailRequest) => {
      seen.push({ eventId: request.eventId, traceId: activeTraceIds()?.trace_id });
      return 'sent' as const;
    };
    const source = {
      abandoned: async () => [
        { eventId: 'traced', payload, traceContext: { traceparent: `00-${traceId}-${requestSpanId}-01` } },
        { eventId: 'untraced', payload },
      ],
    };

    await new AbandonedDeliveries(source, deliver, logger, 60_000).resume();

    expect(seen[0]).toEqual({ eventId: 'traced', traceId });
    const resumed = recorder.spans().filter((span) => span.name === 'resume abandoned delivery');
    expect(resumed[0]?.parentSpanContext?.spanId).toBe(requestSpanId);
    // A delivery recorded while nothing was traced is resumed in a new trace.
    expect(seen[1]?.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen[1]?.traceId).not.toBe(traceId);
    expect(resumed[1]?.parentSpanContext).toBeUndefined();
  });
});
