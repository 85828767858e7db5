import { isEvent, type AnyCloudEvent } from '@solar/contracts';
import type { EventHandler } from '@solar/chassis';
import type { deletionCancelled, deletionRequested, userDeleted } from '../deletions/track-deletions.use-case';
import type { countEvent } from '../reports/count-event.use-case';

/** Thin: identity's user events feed the deletion projection; those and delivery events feed the daily counts. */
export function lifecycleEventsHandler(deps: {
  deletionRequested: ReturnType<typeof deletionRequested>;
  deletionCancelled: ReturnType<typeof deletionCancelled>;
  userDeleted: ReturnType<typeof userDeleted>;
  countEvent: ReturnType<typeof countEvent>;
}): EventHandler {
  return async (event: AnyCloudEvent): Promise<void> => {
    if (isEvent(event, 'DeletionRequested')) await deps.deletionRequested(event.data);
    else if (isEvent(event, 'DeletionCancelled')) await deps.deletionCancelled(event.data);
    else if (isEvent(event, 'UserDeleted')) await deps.userDeleted(event.data);
    await deps.countEvent(event);
  };
}
