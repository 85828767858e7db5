import type { MaintenanceTask } from '../maintenance/maintenance-due.consumer';
import { completeParticipants } from './data-export-archive';
import { dataExportFailedEvent } from './data-export-events';
import type { DataExportRepository } from './data-export.repository';
import { EXPORT_INTERVAL_MS } from './request-data-export.use-case';

/**
 * The deadline and the purge, on lifecycle's MaintenanceDue (TTL indexes are not relied on): exports
 * still waiting past their deadline fail naming the participants that did not answer; archives whose
 * link expired are deleted; finished exports past the once-a-day window go.
 */
export function expireDataExports(deps: {
  exports: Pick<DataExportRepository, 'overdue' | 'fail' | 'expireArchives' | 'removeFinishedBefore'>;
  clock: () => Date;
  batchSize: number;
}): MaintenanceTask {
  return async (progress) => {
    let failed = 0;
    for (;;) {
      const now = deps.clock();
      const overdue = await deps.exports.overdue(now, deps.batchSize);
      for (const entry of overdue) {
        const answered = completeParticipants(entry);
        const missing = entry.participants.filter((service) => !answered.includes(service));
        // Every part arrived yet nothing was built (the account went meanwhile): no one participant is at fault.
        const named = missing.length > 0 ? missing : entry.participants;
        if (await deps.exports.fail(entry.id, now, [dataExportFailedEvent(entry, named, now)])) failed += 1;
      }
      await progress();
      if (overdue.length < deps.batchSize) break;
    }
    const now = deps.clock();
    const archivesDeleted = await deps.exports.expireArchives(now);
    const removed = await deps.exports.removeFinishedBefore(new Date(now.getTime() - EXPORT_INTERVAL_MS));
    return { failed, archivesDeleted, removed };
  };
}
