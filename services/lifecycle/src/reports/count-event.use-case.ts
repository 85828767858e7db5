import type { AnyCloudEvent } from '@solar/contracts';
import type { CountedKind } from './report.model';
import type { ReportRepository } from './report.repository';
import { utcDay } from './utc-day';

const KIND_BY_EVENT: Partial<Record<AnyCloudEvent['type'], CountedKind>> = {
  'com.solar-intelligence.identity.UserRegistered.v1': 'registrations',
  'com.solar-intelligence.identity.EmailVerified.v1': 'verifications',
  'com.solar-intelligence.identity.DeletionRequested.v1': 'deletionRequests',
  'com.solar-intelligence.identity.UserDeleted.v1': 'deletions',
  'com.solar-intelligence.notification.EmailSent.v1': 'emailsSent',
  'com.solar-intelligence.notification.EmailFailed.v1': 'emailsFailed',
};

/** Counts an event on the UTC day it happened (its `time`), not the day it was consumed. */
export function countEvent(deps: { reports: ReportRepository }) {
  return async (event: AnyCloudEvent): Promise<void> => {
    const kind = KIND_BY_EVENT[event.type];
    if (kind) await deps.reports.count(event.id, utcDay(new Date(event.time)), kind);
  };
}
