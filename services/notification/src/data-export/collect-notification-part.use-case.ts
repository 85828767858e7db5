import { dataExportPartEvents, type AnyCloudEvent, type EventData, type NotificationExportData } from '@solar/contracts';
import type { DeliveryDocument } from '../delivery/delivery.model';

/** Emails kept per export; the delivery records are pruned long before a person gets near it. */
const EMAILS_MAX = 10_000;

/**
 * Notification's part of a data export: which emails went to the person and whether their address is
 * suppressed. Never the content (it is not kept), the links (sealed, and spent) or provider ids.
 */
export function collectNotificationPart(deps: {
  deliveries: { ofRecipient(userId: string, address: string, limit: number): Promise<DeliveryDocument[]> };
  suppressions: { isSuppressed(address: string): Promise<boolean> };
  publish: (events: AnyCloudEvent[]) => Promise<void>;
  clock: () => Date;
}) {
  return async (request: EventData<'DataExportRequested'>): Promise<void> => {
    const [emails, suppressed] = await Promise.all([
      deps.deliveries.ofRecipient(request.userId, request.email, EMAILS_MAX),
      deps.suppressions.isSuppressed(request.email),
    ]);
    const data: NotificationExportData = {
      emails: emails.map((email) => ({
        template: email.template,
        to: email.to,
        status: email.status,
        requestedAt: email.createdAt.toISOString(),
        sentAt: email.sentAt?.toISOString() ?? null,
      })),
      suppressed,
    };
    await deps.publish(dataExportPartEvents({ exportId: request.exportId, service: 'notification', data, time: deps.clock() }));
  };
}
