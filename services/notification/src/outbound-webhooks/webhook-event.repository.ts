import type { Connection, Model } from 'mongoose';
import type { Sealer } from '@solar/chassis';
import { webhookEventModel, type WebhookEventDocument } from './webhook-event.model';

const DUPLICATE_KEY = 11_000;
const bodyContext = (id: string) => `notification.webhook_events/${id}/body`;

export interface StoredEvent {
  id: string;
  eventType: string;
  subject: string;
  time: Date;
  body: string;
}

export class WebhookEventRepository {
  constructor(
    private readonly events: Model<WebhookEventDocument>,
    private readonly sealer: Sealer,
  ) {}

  static async open(db: Connection, sealer: Sealer): Promise<WebhookEventRepository> {
    const events = webhookEventModel(db);
    await events.init();
    return new WebhookEventRepository(events, sealer);
  }

  /** Idempotent: a redelivered event keeps its first copy. */
  async store(event: StoredEvent, expiresAt: Date): Promise<void> {
    try {
      await this.events.create({
        _id: event.id,
        eventType: event.eventType,
        subject: event.subject,
        time: event.time,
        sealedBody: this.sealer.seal(event.body, bodyContext(event.id)),
        expiresAt,
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
    }
  }

  async body(id: string): Promise<string | null> {
    const doc = await this.events.findById(id, { sealedBody: 1 }).lean();
    return doc ? this.sealer.open(doc.sealedBody, bodyContext(id)) : null;
  }

  /** Events of the given types that happened in [from, to], oldest first, without their bodies. */
  async inWindow(types: string[], from: Date, to: Date): Promise<Omit<StoredEvent, 'body'>[]> {
    const docs = await this.events
      .find({ eventType: { $in: types }, time: { $gte: from, $lte: to } }, { eventType: 1, subject: 1, time: 1 })
      .sort({ time: 1 })
      .lean();
    return docs.map((doc) => ({ id: doc._id, eventType: doc.eventType, subject: doc.subject, time: doc.time }));
  }

  /**
   * Erasure: the stored events of a deleted account go, all but `keep` (its UserDeleted, which
   * integrators need to erase theirs; it expires with the retention like any other).
   */
  async eraseSubject(subject: string, keep: string): Promise<number> {
    return (await this.events.deleteMany({ subject, _id: { $ne: keep } })).deletedCount;
  }

  /** No TTL index: the Mongo-wire test server never expires anything, so the sweep deletes. */
  async prune(now: Date): Promise<number> {
    return (await this.events.deleteMany({ expiresAt: { $lt: now } })).deletedCount;
  }
}
