import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { OutboxWriter } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import type { AuditAction } from '@solar/contracts';
import type { AuditEntryDocument } from './audit-entry.model';

export interface AuditRecord {
  userId: string | null;
  action: AuditAction;
  outcome: 'success' | 'failure';
  context: RequestContext;
  details?: AuditEntryDocument['details'];
}

/**
 * Appends to the audit log. An entry can carry security events: they are published from the entry's
 * own outbox, so the record and its event are one write even when no user document changes (a
 * failed sign-in for an unknown address).
 */
export class AuditLog {
  private readonly clock: () => Date;

  constructor(
    private readonly entries: Model<AuditEntryDocument>,
    private readonly outbox: OutboxWriter,
  ) {
    this.clock = outbox.clock;
  }

  async record(record: AuditRecord, events: AnyCloudEvent[] = []): Promise<void> {
    const at = this.clock();
    const id = randomUUID();
    await this.entries.create({
      _id: id,
      userId: record.userId,
      action: record.action,
      outcome: record.outcome,
      ip: record.context.ip,
      userAgent: record.context.userAgent,
      at,
      details: record.details ?? {},
      outbox: this.outbox.entries(events, at),
    });
    if (events.length > 0) this.outbox.written(this.entries.collection, id);
  }
}
