import { createEvent, type AnyCloudEvent, type Locale } from '@solar/contracts';

const SOURCE = '/identity';

export function dataExportRequestedEvent(
  user: { id: string; email: string },
  entry: { id: string; requestedAt: Date; deadline: Date },
): AnyCloudEvent {
  return createEvent('DataExportRequested', {
    source: SOURCE,
    subject: user.id,
    time: entry.requestedAt,
    data: { exportId: entry.id, userId: user.id, email: user.email, deadline: entry.deadline.toISOString() },
  });
}

/** The outcome and the owner's single-use link, written with the archive. */
export function dataExportCompletedEvents(
  user: { id: string; email: string; locale: Locale },
  exportId: string,
  services: string[],
  link: { url: string; expiresAt: Date },
  now: Date,
): AnyCloudEvent[] {
  return [
    createEvent('DataExportCompleted', { source: SOURCE, subject: user.id, time: now, data: { exportId, userId: user.id, services } }),
    createEvent('EmailRequested', {
      source: SOURCE,
      subject: user.id,
      time: now,
      data: {
        template: 'data-export-ready',
        to: user.email,
        locale: user.locale,
        userId: user.id,
        variables: { link: link.url, expiresAt: link.expiresAt.toISOString() },
      },
    }),
  ];
}

export function dataExportFailedEvent(entry: { id: string; userId: string }, missing: string[], now: Date): AnyCloudEvent {
  return createEvent('DataExportFailed', {
    source: SOURCE,
    subject: entry.userId,
    time: now,
    data: { exportId: entry.id, userId: entry.userId, missing },
  });
}
