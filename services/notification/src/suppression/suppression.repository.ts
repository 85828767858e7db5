import { createHash, randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { createEvent, type AnyCloudEvent } from '@solar/contracts';
import { escapeRegExp, type CursorPosition, type OutboxWriter } from '@solar/chassis';
import {
  bounceEventModel,
  suppressionModel,
  suppressionRemovalModel,
  type BounceEventDocument,
  type SuppressionDocument,
  type SuppressionRemovalDocument,
} from './suppression.model';
import { normalizeAddress, type MailEvent, type MailEventKind, type SuppressionReason } from './mail-event';

export interface BounceCount {
  provider: string;
  kind: MailEventKind;
  count: number;
}

export interface SuppressionView {
  address: string;
  reason: SuppressionReason;
  source: string;
  since: Date;
  lastEvent: { kind: MailEventKind; provider: string; at: Date } | null;
}

export type BounceEventView = Omit<BounceEventDocument, '_id'> & { id: string };
export type SuppressionRemovalView = Omit<SuppressionRemovalDocument, '_id' | 'outbox'> & { id: string };

/** A newest-first page: `limit` rows after `after`, the caller asking one more than it shows. */
export interface PageRequest {
  after?: CursorPosition | undefined;
  limit: number;
}

const DUPLICATE_KEY = 11_000;

/** The only code that touches `suppressions`, `bounce_events` and `suppression_removals`. */
export class SuppressionRepository {
  constructor(
    private readonly suppressions: Model<SuppressionDocument>,
    private readonly bounceEvents: Model<BounceEventDocument>,
    private readonly removals: Model<SuppressionRemovalDocument>,
    private readonly outbox: OutboxWriter,
  ) {}

  /** The repository over its collections, indexes built; `outbox` must relay `suppression_removals` (removalsCollection). */
  static async open(db: Connection, outbox: OutboxWriter): Promise<SuppressionRepository> {
    const suppressions = suppressionModel(db);
    const bounceEvents = bounceEventModel(db);
    const removals = suppressionRemovalModel(db);
    await Promise.all([suppressions.init(), bounceEvents.init(), removals.init()]);
    return new SuppressionRepository(suppressions, bounceEvents, removals, outbox);
  }

  /** The collection whose outbox carries EmailSuppressionRemoved, for the service's one relay. */
  static removalsCollection(db: Connection) {
    return suppressionRemovalModel(db).collection;
  }

  async isSuppressed(address: string): Promise<boolean> {
    return (await this.suppressions.exists({ _id: normalizeAddress(address) })) !== null;
  }

  /** The first reason stays: a later soft report must not weaken it, and repeats change nothing. */
  async suppress(address: string, reason: SuppressionReason, source: string, at: Date): Promise<void> {
    await this.suppressions.updateOne({ _id: normalizeAddress(address) }, { $setOnInsert: { reason, source, at } }, { upsert: true });
  }

  /** Records the event once per provider event key; answers false for a repeat. */
  async recordEvent(event: MailEvent, receivedAt: Date): Promise<boolean> {
    try {
      await this.bounceEvents.create({
        _id: eventId(event),
        provider: event.provider,
        kind: event.kind,
        address: normalizeAddress(event.address),
        at: event.at,
        receivedAt,
      });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /** Bounces and complaints received since a moment, by provider and kind: the bounce-rate numerator. */
  async bounceStats(since: Date): Promise<BounceCount[]> {
    const rows = await this.bounceEvents.aggregate<{ _id: { provider: string; kind: MailEventKind }; count: number }>([
      { $match: { receivedAt: { $gte: since } } },
      { $group: { _id: { provider: '$provider', kind: '$kind' }, count: { $sum: 1 } } },
    ]);
    return rows
      .map((row) => ({ provider: row._id.provider, kind: row._id.kind, count: row.count }))
      .sort((a, b) => a.provider.localeCompare(b.provider) || a.kind.localeCompare(b.kind));
  }

  /** Suppressed addresses, newest first; `contains` is matched literally, not as a pattern. */
  async listSuppressions(query: PageRequest & { contains?: string | undefined }): Promise<SuppressionView[]> {
    const conditions: object[] = [];
    if (query.contains) conditions.push({ _id: { $regex: escapeRegExp(normalizeAddress(query.contains)) } });
    if (query.after) conditions.push(olderThan('at', query.after));
    const docs = await this.suppressions
      .find(conditions.length ? { $and: conditions } : {})
      .sort({ at: -1, _id: -1 })
      .limit(query.limit)
      .lean();
    return Promise.all(
      docs.map(async (doc) => ({
        address: doc._id,
        reason: doc.reason,
        source: doc.source,
        since: doc.at,
        lastEvent: await this.lastEvent(doc._id),
      })),
    );
  }

  /** What providers reported lately, newest received first. */
  async listBounceEvents(query: PageRequest): Promise<BounceEventView[]> {
    const docs = await this.bounceEvents
      .find(query.after ? olderThan('receivedAt', query.after) : {})
      .sort({ receivedAt: -1, _id: -1 })
      .limit(query.limit)
      .lean();
    return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
  }

  async listRemovals(query: PageRequest): Promise<SuppressionRemovalView[]> {
    const docs = await this.removals
      .find(query.after ? olderThan('removedAt', query.after) : {})
      .sort({ removedAt: -1, _id: -1 })
      .limit(query.limit)
      .select({ outbox: 0 })
      .lean();
    return docs.map(({ _id, ...rest }) => ({ id: _id, ...rest }));
  }

  /**
   * Takes an address off the list and records who did it and why; false when it was not on it.
   * Without transactions the record is written first: a crash between the two leaves a record of a
   * removal that did not happen (the address still suppressed, the admin can repeat it), never a
   * removal nobody recorded. A concurrent removal of the same entry takes its record back out before
   * the relay is told of it (and before OUTBOX_SETTLE lets its sweep find it).
   */
  async remove(address: string, removal: { removedBy: string; note: string; at: Date }): Promise<boolean> {
    const normalized = normalizeAddress(address);
    const entry = await this.suppressions.findById(normalized).lean();
    if (!entry) return false;
    const id = randomUUID();
    const event = createEvent('EmailSuppressionRemoved', {
      source: '/notification',
      subject: normalized,
      time: removal.at,
      data: { email: normalized, removedBy: removal.removedBy, suppressedFor: entry.reason },
    }) as AnyCloudEvent;
    await this.removals.create({
      _id: id,
      address: normalized,
      reason: entry.reason,
      source: entry.source,
      suppressedAt: entry.at,
      removedBy: removal.removedBy,
      note: removal.note,
      removedAt: removal.at,
      outbox: this.outbox.entries([event], removal.at),
    });
    const { deletedCount } = await this.suppressions.deleteOne({ _id: normalized, at: entry.at });
    if (deletedCount === 0) {
      await this.removals.deleteOne({ _id: id });
      return false;
    }
    this.outbox.written(this.removals.collection, id);
    return true;
  }

  /** Erasure: the suppression entry goes; the bounce events and removals stay without the address. */
  async eraseAddress(address: string): Promise<void> {
    const normalized = normalizeAddress(address);
    await this.suppressions.deleteOne({ _id: normalized });
    await this.bounceEvents.updateMany({ address: normalized }, { $set: { address: null } });
    await this.removals.updateMany({ address: normalized }, { $set: { address: null } });
  }

  private async lastEvent(address: string): Promise<SuppressionView['lastEvent']> {
    const doc = await this.bounceEvents
      .findOne({ address, kind: { $in: ['hard_bounce', 'complaint'] } })
      .sort({ at: -1 })
      .lean();
    return doc ? { kind: doc.kind, provider: doc.provider, at: doc.at } : null;
  }
}

/** After `after` in a newest-first order on `field`, the id breaking ties. */
const olderThan = (field: string, after: CursorPosition) => ({
  $or: [{ [field]: { $lt: after.at } }, { [field]: after.at, _id: { $lt: after.id } }],
});

// Hashed so the key, which outlives erasure, does not spell the address.
const eventId = (event: MailEvent) =>
  createHash('sha256')
    .update(`${event.provider}\n${event.eventKey}\n${normalizeAddress(event.address)}`)
    .digest('hex');
