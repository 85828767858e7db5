import type { FilterQuery, Model } from 'mongoose';
import { DEFAULT_LOCALE, Locale, type AnyCloudEvent, type WaitlistStatus } from '@solar/contracts';
import type { CursorPosition, OutboxWriter } from '@solar/chassis';
import type { StoredInvite, WaitlistEntryDocument } from './waitlist-entry.model';

export interface WaitlistEntry {
  id: string;
  email: string;
  name: string | null;
  locale: Locale;
  status: WaitlistStatus;
  createdAt: Date;
  decidedAt: Date | null;
  invite: StoredInvite | null;
}

const DUPLICATE_KEY = 11_000;
const FIELDS = { email: 1, name: 1, locale: 1, status: 1, createdAt: 1, decidedAt: 1, invite: 1 } as const;

const toEntry = (doc: Pick<WaitlistEntryDocument, '_id' | keyof typeof FIELDS>): WaitlistEntry => ({
  id: doc._id,
  email: doc.email,
  name: doc.name ?? null,
  // Entries older than the field read as English, like accounts.
  locale: Locale.safeParse(doc.locale).data ?? DEFAULT_LOCALE,
  status: doc.status,
  createdAt: doc.createdAt,
  decidedAt: doc.decidedAt ?? null,
  invite: doc.invite ?? null,
});

/** The only code that touches the waitlist collection; state changes are written with their events. */
export class WaitlistRepository {
  constructor(
    private readonly entries: Model<WaitlistEntryDocument>,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Resolves 'listed' when the address is on the list already, including by a concurrent join. */
  async join(
    entry: { id: string; email: string; name: string | null; locale: Locale },
    events: AnyCloudEvent[],
  ): Promise<'created' | 'listed'> {
    try {
      await this.entries.create({
        _id: entry.id,
        email: entry.email,
        name: entry.name,
        locale: entry.locale,
        status: 'pending',
        outbox: this.outbox.entries(events),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return 'listed';
      throw error;
    }
    this.outbox.written(this.entries.collection, entry.id);
    return 'created';
  }

  async findById(id: string): Promise<WaitlistEntry | null> {
    const doc = await this.entries.findById(id, FIELDS).lean();
    return doc ? toEntry(doc) : null;
  }

  async findByInvite(hash: string): Promise<WaitlistEntry | null> {
    const doc = await this.entries.findOne({ 'invite.hash': hash }, FIELDS).lean();
    return doc ? toEntry(doc) : null;
  }

  /** Oldest first (the order of the queue), `limit` rows from after `after`. */
  async listOldestFirst(query: {
    status?: WaitlistStatus | undefined;
    after?: CursorPosition | undefined;
    limit: number;
  }): Promise<WaitlistEntry[]> {
    const conditions: FilterQuery<WaitlistEntryDocument>[] = [];
    if (query.status) conditions.push({ status: query.status });
    if (query.after) {
      conditions.push({ $or: [{ createdAt: { $gt: query.after.at } }, { createdAt: query.after.at, _id: { $gt: query.after.id } }] });
    }
    const docs = await this.entries
      .find(conditions.length > 0 ? { $and: conditions } : {}, FIELDS)
      .sort({ createdAt: 1, _id: 1 })
      .limit(query.limit)
      .lean();
    return docs.map(toEntry);
  }

  /**
   * Moves a pending entry to its decision, with the events announcing it, in one conditional write:
   * of two concurrent decisions on one entry exactly one lands. Null when the entry was not pending.
   */
  async decide(
    id: string,
    decision: { status: 'approved' | 'rejected'; by: string; at: Date; invite: StoredInvite | null },
    events: AnyCloudEvent[],
  ): Promise<WaitlistEntry | null> {
    const doc = await this.entries
      .findOneAndUpdate(
        { _id: id, status: 'pending' },
        {
          $set: { status: decision.status, decidedAt: decision.at, decidedBy: decision.by, invite: decision.invite },
          $push: { outbox: { $each: this.outbox.entries(events, decision.at) } },
        },
        { new: true, projection: FIELDS },
      )
      .lean();
    if (!doc) return null;
    this.outbox.written(this.entries.collection, id);
    return toEntry(doc);
  }

  /** Spends an invite if it is still unused and unexpired at the moment of the write; false otherwise. */
  async spendInvite(id: string, hash: string, now: Date): Promise<boolean> {
    const result = await this.entries.updateOne(
      { _id: id, 'invite.hash': hash, 'invite.usedAt': null, 'invite.expiresAt': { $gt: now } },
      { $set: { 'invite.usedAt': now } },
    );
    return result.modifiedCount === 1;
  }
}
