import type { MailEvent, SuppressionReason } from './mail-event';

export interface SuppressionStore {
  recordEvent(event: MailEvent, receivedAt: Date): Promise<boolean>;
  suppress(address: string, reason: SuppressionReason, source: string, at: Date): Promise<void>;
}

/**
 * Records what a verified webhook reported: every event counts once (by the provider's event key),
 * and a hard bounce or complaint puts the address on the suppression list. Suppressing is idempotent,
 * so it runs even for a repeated event (a retry after a half-finished earlier attempt).
 */
export function recordMailEvents(deps: {
  suppressions: SuppressionStore;
  clock: () => Date;
  /** Counts each new report (not a redelivered one) by provider and kind. */
  counter: { inc(labels: { provider: string; kind: string }): void };
}) {
  return async (events: MailEvent[]): Promise<{ recorded: number; suppressed: number }> => {
    let recorded = 0;
    let suppressed = 0;
    for (const event of events) {
      if (await deps.suppressions.recordEvent(event, deps.clock())) {
        recorded++;
        deps.counter.inc({ provider: event.provider, kind: event.kind });
      }
      if (event.suppress) {
        await deps.suppressions.suppress(event.address, event.suppress, event.provider, event.at);
        suppressed++;
      }
    }
    return { recorded, suppressed };
  };
}
