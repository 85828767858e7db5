import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { Logger } from '@solar/chassis';
import type { recordSuppressionRemoval } from './record-suppression-removal.use-case';

/** Thin: notification's EmailSuppressionRemoved into the audit log of the account with that address. */
export function emailSuppressionRemovedHandler(record: ReturnType<typeof recordSuppressionRemoval>, logger: Logger) {
  return async (event: AnyCloudEvent): Promise<void> => {
    if (!isEvent(event, 'EmailSuppressionRemoved')) return;
    const outcome = await record({ eventId: event.id, data: event.data });
    // Ids only: the address stays out of logs.
    logger.info({ eventId: event.id, removedBy: event.data.removedBy, outcome }, 'suppression removal audited');
  };
}
