import { lifecycleEvent, type PublishEvents } from '../events/publish-events';
import type { ReportRepository } from './report.repository';
import { daysBefore, previousUtcDay } from './utc-day';

/** Raw counted events kept after their day is reported, so a late rerun still counts them. */
const KEEP_DAYS = 7;

/** Counts the previous UTC day, stores the report and announces it. */
export function dailyReportJob(deps: { reports: ReportRepository; publish: PublishEvents; clock: () => Date }) {
  return async (): Promise<void> => {
    const now = deps.clock();
    const date = previousUtcDay(now);
    const counts = await deps.reports.countsOf(date);
    await deps.reports.save({ _id: date, counts, generatedAt: now });
    await deps.publish([lifecycleEvent('DailyReportGenerated', date, { date, counts, generatedAt: now.toISOString() }, now)]);
    await deps.reports.forgetEventsBefore(daysBefore(date, KEEP_DAYS));
  };
}
