import { z } from 'zod';

const Count = z.number().int().min(0);

/** Counts only: the report is broadcast, so it names no user. */
export const DailyReportCounts = z.object({
  registrations: Count.describe('UserRegistered events that day.'),
  verifications: Count.describe('EmailVerified events that day.'),
  deletionRequests: Count.describe('DeletionRequested events that day.'),
  deletions: Count.describe('UserDeleted events that day: accounts purged.'),
  emailsSent: Count.describe('EmailSent events that day: emails a provider accepted.'),
  emailsFailed: Count.describe('EmailFailed events that day.'),
});
export type DailyReportCounts = z.output<typeof DailyReportCounts>;

export const DailyReportGeneratedV1 = z.object({
  date: z.iso.date().describe('The UTC day the report covers, YYYY-MM-DD.'),
  counts: DailyReportCounts,
  generatedAt: z.iso.datetime().describe('When lifecycle counted the day (UTC).'),
});
export type DailyReportGeneratedV1 = z.output<typeof DailyReportGeneratedV1>;
