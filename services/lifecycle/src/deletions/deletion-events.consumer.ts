import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { EventHandler } from '@solar/chassis';
import type { deletionCancelled, deletionRequested, userDeleted } from './track-deletions.use-case';

/** Thin: identity's deletion events feed the projection of pending deletions and their purge jobs. */
export function deletionEventsHandler(deps: {
  deletionRequested: ReturnType<typeof deletionRequested>;
  deletionCancelled: ReturnType<typeof deletionCancelled>;
  userDeleted: ReturnType<typeof userDeleted>;
}): EventHandler {
  return async (event: AnyCloudEvent): Promise<void> => {
    if (isEvent(event, 'DeletionRequested')) await deps.deletionRequested(event.data);
    else if (isEvent(event, 'DeletionCancelled')) await deps.deletionCancelled(event.data);
    else if (isEvent(event, 'UserDeleted')) await deps.userDeleted(event.data);
  };
}
