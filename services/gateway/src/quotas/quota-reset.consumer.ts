import { isEvent, previousMonth } from '@solar/contracts';
import type { EventHandler, Logger } from '@solar/chassis';
import type { QuotaStore } from './quota-store';

/**
 * On MonthlyQuotaResetDue for a month, records the month before it (per-user counts and totals) for
 * reports. Counters are keyed by month, so the new month's counting has started on its own at
 * midnight UTC; nothing is reset, which makes a late or repeated event harmless. The gateway has no
 * Mongo for the chassis' dedupe: the store's per-month marker makes this idempotent instead.
 */
export function monthlyQuotaResetHandler(deps: { store: QuotaStore; clock: () => Date; logger: Logger }): EventHandler {
  return async (event) => {
    if (!isEvent(event, 'MonthlyQuotaResetDue')) return;
    const closed = previousMonth(event.data.month);
    const recorded = await deps.store.closeMonth(closed, deps.clock(), event.id);
    deps.logger.info(
      { month: closed, eventId: event.id, recorded },
      recorded ? 'monthly usage recorded' : 'monthly usage had been recorded already',
    );
  };
}
