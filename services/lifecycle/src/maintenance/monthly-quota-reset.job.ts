import { monthOf } from '@solar/contracts';
import { lifecycleEvent, type PublishEvents } from '../events/publish-events';

export function monthlyQuotaResetJob(deps: { publish: PublishEvents; clock: () => Date }) {
  return async (): Promise<void> => {
    // The clock, not the schedule: a run delayed past the 1st (lifecycle down) still names the current month.
    const month = monthOf(deps.clock());
    await deps.publish([lifecycleEvent('MonthlyQuotaResetDue', month, { month }, deps.clock())]);
  };
}
