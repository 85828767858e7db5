import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { bounceEventModel, suppressionModel, type BounceEventDocument, type SuppressionDocument } from './suppression.model';
import { normalizeAddress, type MailEvent, type MailEventKind, type SuppressionReason } from './mail-event';

export interface BounceCount {
  provider: string;
  kind: MailEventKind;
  count: number;
}

const DUPLICATE_KEY = 11_000;

/** The only code that touches `suppressions` and `bounce_events`. */
export class SuppressionRepository {
  constructor(
    private readonly suppressions: Model<SuppressionDocument>,
    private readonly bounceEvents: Model<BounceEventDocument>,
  ) {}

  /** The repository over its collections, indexes built. */
  static async open(db: Connection): Promise<SuppressionRepository> {
    const suppressions = suppressionModel(db);
    const bounceEvents = bounceEventModel(db);
    await Promise.all([suppressions.init(), bounceEvents.init()]);
    return new SuppressionRepository(suppressions, bounceEvents);
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

  /** Erasure: the suppression entry goes; the bounce events stay as anonymous counts. */
  async eraseAddress(address: string): Promise<void> {
    const normalized = normalizeAddress(address);
    await this.suppressions.deleteOne({ _id: normalized });
    await this.bounceEvents.updateMany({ address: normalized }, { $set: { address: null } });
  }
}

// Hashed so the key, which outlives erasure, does not spell the address.
const eventId = (event: MailEvent) =>
  createHash('sha256')
    .update(`${event.provider}\n${event.eventKey}\n${normalizeAddress(event.address)}`)
    .digest('hex');
