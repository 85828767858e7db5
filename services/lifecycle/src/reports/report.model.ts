import { Schema, type Connection } from 'mongoose';
import type { DailyReportCounts } from '@solar/contracts';

export type CountedKind = keyof DailyReportCounts;

/** One counted event: its id makes counting a redelivered event a no-op. No user id, no address. */
export interface CountedEvent {
  _id: string; // the event's ce id
  day: string; // UTC day of the event's time, YYYY-MM-DD
  kind: CountedKind;
}

export interface DailyReport {
  _id: string; // the UTC day
  counts: DailyReportCounts;
  generatedAt: Date;
}

const countedEventSchema = new Schema<CountedEvent>(
  { _id: { type: String, required: true }, day: { type: String, required: true }, kind: { type: String, required: true } },
  { versionKey: false, collection: 'counted_events' },
);
countedEventSchema.index({ day: 1, kind: 1 });

const count = { type: Number, required: true, min: 0 };
const dailyReportSchema = new Schema<DailyReport>(
  {
    _id: { type: String, required: true },
    counts: {
      registrations: count,
      verifications: count,
      deletionRequests: count,
      deletions: count,
      emailsSent: count,
      emailsFailed: count,
    },
    generatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'daily_reports' },
);

export const countedEventModel = (db: Connection) => db.model<CountedEvent>('CountedEvent', countedEventSchema);
export const dailyReportModel = (db: Connection) => db.model<DailyReport>('DailyReport', dailyReportSchema);
