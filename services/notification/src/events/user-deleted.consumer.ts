import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { ConsumedContext, Logger } from '@solar/chassis';
import type { eraseUser } from '../erasure/erase-user.use-case';

/** Thin: UserDeleted from identity's user topic starts the farewell email and the erasure. */
export function userDeletedHandler(erase: ReturnType<typeof eraseUser>, logger: Logger) {
  return async (event: AnyCloudEvent, context: ConsumedContext): Promise<void> => {
    if (!isEvent(event, 'UserDeleted')) return;
    const result = await erase({ eventId: event.id, data: event.data, heartbeat: context.heartbeat });
    // The event id only: the address and user id are what was just erased.
    logger.info({ eventId: event.id, ...result }, 'user erased');
  };
}
