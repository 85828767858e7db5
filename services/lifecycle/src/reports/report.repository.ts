import type { Model } from 'mongoose';
import type { DailyReportCounts } from '@solar/contracts';
import type { CountedEvent, CountedKind, DailyReport } from './report.model';

const KINDS: CountedKind[] = ['registrations', 'verifications', 'deletionRequests', 'deletions', 'emailsSent', 'emailsFailed'];

export class ReportRepository {
  constructor(
    private readonly events: Model<CountedEvent>,
    private readonly reports: Model<DailyReport>,
  ) {}

  async count(eventId: string, day: string, kind: CountedKind): Promise<void> {
    await this.events.updateOne({ _id: eventId }, { $setOnInsert: { day, kind } }, { upsert: true }).exec();
  }

  async countsOf(day: string): Promise<DailyReportCounts> {
    const rows = await this.events.aggregate<{ _id: CountedKind; n: number }>([
      { $match: { day } },
      { $group: { _id: '$kind', n: { $sum: 1 } } },
    ]);
    const counts = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as DailyReportCounts;
    for (const row of rows) if (KINDS.includes(row._id)) counts[row._id] = row.n;
    return counts;
  }

  /** A later run for the same day (a retry, an operator) replaces the stored report. */
  async save(report: DailyReport): Promise<void> {
    await this.reports.replaceOne({ _id: report._id }, report, { upsert: true }).exec();
  }

  async find(day: string): Promise<DailyReport | null> {
    return this.reports.findOne({ _id: day }).lean().exec();
  }

  /** Counted events are only needed until their day is reported; TTL indexes cannot be relied on. */
  async forgetEventsBefore(day: string): Promise<void> {
    await this.events.deleteMany({ day: { $lt: day } }).exec();
  }
}
