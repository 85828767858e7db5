import { decodeCursor, pageOf, type Page } from '@solar/chassis';
import type { AuditEntryView, AuditFilter, AuditLogQuery } from './audit-log.query';

/** One page of audit entries, newest first; the caller decides the filter (a user sees only their own). */
export function listAuditLog(deps: { entries: Pick<AuditLogQuery, 'newestFirst'> }) {
  return async (input: { filter: AuditFilter; cursor?: string | undefined; limit: number }): Promise<Page<AuditEntryView>> => {
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    const rows = await deps.entries.newestFirst(input.filter, { ...(after ? { after } : {}), limit: input.limit + 1 });
    return pageOf(rows, input.limit, (entry) => ({ at: entry.at, id: entry.id }));
  };
}
