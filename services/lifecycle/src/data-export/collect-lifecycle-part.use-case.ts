import { dataExportPartEvents, type EventData, type LifecycleExportData } from '@solar/contracts';
import type { PublishEvents } from '../events/publish-events';
import type { PendingDeletion } from '../deletions/pending-deletion.model';

/** Lifecycle's part of a data export: the deletion schedules it keeps for the person (no address is ever stored here). */
export function collectLifecyclePart(deps: {
  deletions: { ofUser(userId: string): Promise<PendingDeletion[]> };
  publish: PublishEvents;
  clock: () => Date;
}) {
  return async (request: EventData<'DataExportRequested'>): Promise<void> => {
    const deletions = await deps.deletions.ofUser(request.userId);
    const data: LifecycleExportData = {
      deletionRequests: deletions.map((deletion) => ({
        status: deletion.status,
        purgeAt: deletion.purgeAt?.toISOString() ?? null,
        updatedAt: deletion.updatedAt.toISOString(),
      })),
    };
    await deps.publish(dataExportPartEvents({ exportId: request.exportId, service: 'lifecycle', data, time: deps.clock() }));
  };
}
