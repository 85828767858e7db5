import type { Logger } from '@solar/chassis';

/**
 * Runs the delivery round every interval, and at once again while a round found work (a backlog
 * drains at full speed); also prunes events past their retention now and then.
 */
export class WebhookPoller {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;
  private rounds = 0;

  constructor(
    private readonly round: () => Promise<number>,
    private readonly prune: () => Promise<unknown>,
    private readonly intervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => {
      this.running ??= this.drain().finally(() => {
        this.running = null;
      });
    }, this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async drain(): Promise<void> {
    try {
      if (this.rounds++ % 600 === 0) await this.prune();
      while (!this.stopped && (await this.round()) > 0);
    } catch (error) {
      this.logger.warn({ err: error }, 'webhook delivery round failed; will try again');
    }
  }
}
