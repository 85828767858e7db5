import { randomUUID } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { webhookDeliveryModel, type WebhookDeliveryDocument, type WebhookDeliveryStatus } from './webhook-delivery.model';

const DUPLICATE_KEY = 11_000;
const NEVER = new Date(0);

export interface QueuedEvent {
  eventId: string;
  eventType: string;
  subject: string;
  seq: number;
}

export interface DeliveryClaim {
  id: string;
  endpointId: string;
  eventId: string;
  attempts: number;
  createdAt: Date;
  token: string;
}

export type DeliveryRecord = Omit<WebhookDeliveryDocument, 'leaseUntil' | 'leaseToken' | 'seq'>;

export class WebhookDeliveryRepository {
  constructor(private readonly deliveries: Model<WebhookDeliveryDocument>) {}

  static async open(db: Connection): Promise<WebhookDeliveryRepository> {
    const deliveries = webhookDeliveryModel(db);
    await deliveries.init();
    return new WebhookDeliveryRepository(deliveries);
  }

  /** Queues one event for each endpoint; an event already queued for an endpoint stays as it is. */
  async enqueue(endpointIds: string[], event: QueuedEvent, now: Date): Promise<void> {
    if (endpointIds.length === 0) return;
    try {
      await this.deliveries.insertMany(
        endpointIds.map((endpointId) => this.fresh(endpointId, event, now)),
        { ordered: false },
      );
    } catch (error) {
      if (!isOnlyDuplicates(error)) throw error;
    }
  }

  /** Queues events again, whatever became of them: a replay restarts their retry clock too. */
  async requeue(endpointId: string, events: QueuedEvent[], now: Date): Promise<number> {
    for (const event of events) {
      const { _id, ...fields } = this.fresh(endpointId, event, now);
      await this.deliveries.updateOne({ _id }, { $set: fields }, { upsert: true });
    }
    return events.length;
  }

  /**
   * The deliveries that may go now: per endpoint and subject only the oldest pending one (the head
   * of its queue, so a failing one holds back the later ones of its account alone), and only if its
   * retry time has come and no replica holds it.
   */
  async due(endpointIds: string[], now: Date, limit: number): Promise<string[]> {
    if (endpointIds.length === 0) return [];
    const heads = await this.deliveries.aggregate<{ _id: { endpointId: string; subject: string }; seq: number }>([
      { $match: { status: 'pending', endpointId: { $in: endpointIds } } },
      { $group: { _id: { endpointId: '$endpointId', subject: '$subject' }, seq: { $min: '$seq' } } },
    ]);
    if (heads.length === 0) return [];
    const docs = await this.deliveries
      .find(
        {
          status: 'pending',
          nextAttemptAt: { $lte: now },
          leaseUntil: { $lt: now },
          $or: heads.map((head) => ({ endpointId: head._id.endpointId, subject: head._id.subject, seq: head.seq })),
        },
        { _id: 1 },
      )
      .sort({ nextAttemptAt: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => doc._id);
  }

  /** Takes the right to send a delivery until the lease ends; null when another replica has it. */
  async claim(id: string, now: Date, leaseMs: number): Promise<DeliveryClaim | null> {
    const token = randomUUID();
    const doc = await this.deliveries
      .findOneAndUpdate(
        { _id: id, status: 'pending', leaseUntil: { $lt: now }, nextAttemptAt: { $lte: now } },
        { $set: { leaseUntil: new Date(now.getTime() + leaseMs), leaseToken: token } },
        { new: true },
      )
      .lean();
    return doc ? { id, endpointId: doc.endpointId, eventId: doc.eventId, attempts: doc.attempts, createdAt: doc.createdAt, token } : null;
  }

  /**
   * Records an attempt's outcome if the claim is still this replica's (fencing: a claim taken over
   * after its lease ran out records nothing). False when it was not.
   */
  async finish(
    claim: DeliveryClaim,
    fields: Pick<WebhookDeliveryDocument, 'status' | 'nextAttemptAt' | 'lastAttemptAt' | 'lastStatus' | 'lastResponse' | 'deliveredAt'>,
  ): Promise<boolean> {
    const result = await this.deliveries.updateOne(
      { _id: claim.id, leaseToken: claim.token },
      { $set: { ...fields, leaseUntil: NEVER, leaseToken: null }, $inc: { attempts: 1 } },
    );
    return result.modifiedCount === 1;
  }

  async log(endpointId: string, status: WebhookDeliveryStatus | undefined, limit: number): Promise<DeliveryRecord[]> {
    return this.deliveries
      .find({ endpointId, ...(status ? { status } : {}) }, { leaseUntil: 0, leaseToken: 0, seq: 0 })
      .sort({ createdAt: -1, _id: -1 })
      .limit(limit)
      .lean();
  }

  async deleteForEndpoint(endpointId: string): Promise<void> {
    await this.deliveries.deleteMany({ endpointId });
  }

  private fresh(endpointId: string, event: QueuedEvent, now: Date): WebhookDeliveryDocument {
    return {
      _id: `${endpointId}:${event.eventId}`,
      endpointId,
      eventId: event.eventId,
      eventType: event.eventType,
      subject: event.subject,
      seq: event.seq,
      status: 'pending',
      attempts: 0,
      nextAttemptAt: now,
      leaseUntil: NEVER,
      leaseToken: null,
      lastAttemptAt: null,
      lastStatus: null,
      lastResponse: null,
      createdAt: now,
      deliveredAt: null,
    };
  }
}

function isOnlyDuplicates(error: unknown): boolean {
  const { code, writeErrors } = error as { code?: unknown; writeErrors?: { code?: unknown }[] };
  if (Array.isArray(writeErrors) && writeErrors.length > 0) return writeErrors.every((write) => write.code === DUPLICATE_KEY);
  return code === DUPLICATE_KEY;
}
