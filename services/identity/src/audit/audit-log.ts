import { randomUUID } from 'node:crypto';
import type { Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { OutboxWriter } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import type { AuditAction } from '@solar/contracts';
import type { AuditEntryDocument } from './audit-entry.model';

/** A keyed hash of one kind of personal value (see deletion/pseudonym.ts). */
export type Pseudonymiser = (kind: 'user' | 'email' | 'ip', value: string) => string;

export const PSEUDONYM_PREFIX = 'pseudo:';
const DUPLICATE_KEY = 11_000;
const isPseudonym = (value: string) => value.startsWith(PSEUDONYM_PREFIX);

export interface AuditRecord {
  /** A fixed id makes the record idempotent: recording it again (a resumed purge) keeps the first. */
  id?: string;
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
    const id = record.id ?? randomUUID();
    const outbox = this.outbox.entries(events, at);
    try {
      await this.entries.create({
        _id: id,
        userId: record.userId,
        action: record.action,
        outcome: record.outcome,
        ip: record.context.ip,
        userAgent: record.context.userAgent,
        at,
        details: record.details ?? {},
        outbox,
      });
    } catch (error) {
      if (record.id === undefined || (error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      return;
    }
    if (outbox.length > 0) this.outbox.inserted(this.entries.collection, id, outbox);
  }

  /**
   * Rewrites the entries about a purged account so they no longer identify anyone: its id, its address
   * and the addresses it used become pseudonyms (the same input always the same pseudonym, so a
   * person's history still reads as one), the user agent goes; action, outcome and time stay.
   * Values already pseudonymised are left alone, so a purge that resumes after a crash changes nothing twice.
   */
  async pseudonymise(subject: { userId: string; email: string }, pseudonym: Pseudonymiser): Promise<number> {
    // One read and one bulk write, each entry rewritten by id: a purge costs two round trips here
    // however long the person's history, and no scan of the log per field.
    const about = await this.entries
      .find({ $or: [{ userId: subject.userId }, { 'details.email': subject.email }] }, { userId: 1, ip: 1, 'details.email': 1 })
      .lean();
    if (about.length === 0) return 0;
    await this.entries.bulkWrite(
      about.map((entry) => ({
        updateOne: {
          filter: { _id: entry._id },
          update: {
            $set: {
              userAgent: '',
              ...(entry.userId === subject.userId ? { userId: pseudonym('user', subject.userId) } : {}),
              ...(entry.details?.email === subject.email ? { 'details.email': pseudonym('email', subject.email) } : {}),
              ...(isPseudonym(entry.ip) ? {} : { ip: pseudonym('ip', entry.ip) }),
            },
          },
        },
      })),
      { ordered: false },
    );
    return about.length;
  }

  /** Removes a page of entries older than `before` whose events are published; resolves how many went. */
  async pruneBefore(before: Date, limit: number): Promise<number> {
    const old = await this.entries
      .find({ at: { $lt: before }, outbox: { $size: 0 } }, { _id: 1 })
      .limit(limit)
      .lean();
    if (old.length === 0) return 0;
    return (await this.entries.deleteMany({ _id: { $in: old.map((doc) => doc._id) }, outbox: { $size: 0 } })).deletedCount;
  }
}
