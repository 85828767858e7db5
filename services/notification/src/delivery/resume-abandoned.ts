import { EmailRequestedV1 } from '@solar/contracts';
import { continueTrace, type Logger, type TraceCarrier } from '@solar/chassis';
import type { deliverEmail } from './deliver-email.use-case';

export interface AbandonedSource {
  abandoned(limit: number): Promise<{ eventId: string; payload: string; traceContext?: TraceCarrier | undefined }[]>;
}

/**
 * Finishes deliveries whose claim was left by a crashed or stopped worker once the lease runs out.
 * The Kafka offset of such a request may already be committed, so nothing else would retry it.
 */
export class AbandonedDeliveries {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;

  constructor(
    private readonly source: AbandonedSource,
    private readonly deliver: ReturnType<typeof deliverEmail>,
    private readonly logger: Logger,
    private readonly intervalMs: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.resume().finally(() => {
        this.running = null;
      });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async resume(): Promise<void> {
    try {
      for (const { eventId, payload, traceContext } of await this.source.abandoned(50)) {
        // In the trace of the request that asked for the email, not in one of the sweep's own.
        const outcome = await continueTrace(
          traceContext,
          'resume abandoned delivery',
          { attributes: { 'email.request_id': eventId } },
          () => this.deliver({ eventId, data: EmailRequestedV1.parse(JSON.parse(payload)) }),
        );
        this.logger.info({ eventId, outcome }, 'abandoned delivery resumed');
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'resuming abandoned deliveries failed; will try again');
    }
  }
}
