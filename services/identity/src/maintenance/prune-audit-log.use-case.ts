import type { AuditLog } from '../audit/audit-log';
import { drain } from './batches';

/** Audit entries are kept for the retention period (400 days by default), then removed. */
export function pruneAuditLog(deps: { audit: Pick<AuditLog, 'pruneBefore'>; clock: () => Date; retentionMs: number; batchSize: number }) {
  return async (progress: () => Promise<void>): Promise<Record<string, number>> => {
    const before = new Date(deps.clock().getTime() - deps.retentionMs);
    return { entries: await drain(() => deps.audit.pruneBefore(before, deps.batchSize), progress) };
  };
}
