import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { Logger } from '@solar/chassis';
import type { purgeAccount } from './purge-account.use-case';

/** Thin: lifecycle says a grace period ended; the use case decides whether anything is purged. */
export function gracePeriodExpiredHandler(purge: ReturnType<typeof purgeAccount>, logger: Logger) {
  return async (event: AnyCloudEvent): Promise<void> => {
    if (!isEvent(event, 'DeletionGracePeriodExpired')) return;
    const outcome = await purge({ userId: event.data.userId, deletionRequestId: event.data.deletionRequestId });
    // Ids only: the address is what was just erased.
    logger.info({ eventId: event.id, deletionRequestId: event.data.deletionRequestId, outcome }, 'grace period expired');
  };
}
