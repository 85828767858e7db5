import type { FilterQuery, Model } from 'mongoose';
import type { AuditAction } from '@solar/contracts';
import type { AuditEntryDocument } from './audit-entry.model';

/** An entry as the API shows it: everything but the outbox, with `id` for `_id`. */
export type AuditEntryView = Omit<AuditEntryDocument, '_id' | 'outbox'> & { id: string };

export interface AuditFilter {
  userId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
}

// The outbox holds sealed events on their way to Kafka: it is plumbing, never part of what is shown.
const VIEW = { userId: 1, action: 1, outcome: 1, ip: 1, userAgent: 1, at: 1, details: 1 } as const;

/** Reads the audit log; writing stays with `AuditLog.record`. */
export class AuditLogQuery {
  constructor(private readonly entries: Model<AuditEntryDocument>) {}

  /** Newest first, `limit` entries from after `after` (keyset on at, then _id, which the indexes cover). */
  async newestFirst(filter: AuditFilter, page: { after?: { at: Date; id: string }; limit: number }): Promise<AuditEntryView[]> {
    const conditions: FilterQuery<AuditEntryDocument>[] = [];
    if (filter.userId !== undefined) conditions.push({ userId: filter.userId });
    if (filter.action !== undefined) conditions.push({ action: filter.action });
    if (filter.from !== undefined) conditions.push({ at: { $gte: filter.from } });
    if (filter.to !== undefined) conditions.push({ at: { $lte: filter.to } });
    if (page.after) conditions.push({ $or: [{ at: { $lt: page.after.at } }, { at: page.after.at, _id: { $lt: page.after.id } }] });
    const docs = await this.entries
      .find(conditions.length > 0 ? { $and: conditions } : {}, VIEW)
      .sort({ at: -1, _id: -1 })
      .limit(page.limit)
      .lean();
    return docs.map((doc) => ({
      id: doc._id,
      userId: doc.userId ?? null,
      action: doc.action,
      outcome: doc.outcome,
      ip: doc.ip,
      userAgent: doc.userAgent ?? '',
      at: doc.at,
      details: doc.details ?? {},
    }));
  }
}
