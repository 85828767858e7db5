import type { Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { OutboxWriter, Sealer } from '@solar/chassis';
import type { SendResult } from '../providers/email-provider';
import type { DeliveryDocument } from './delivery.model';

export interface DeliveryRequest {
  eventId: string;
  template: string;
  to: string;
  userId: string | null;
  /** The whole request as JSON; sealed at rest. */
  payload: string;
  messageId: string;
}

export interface Claim {
  eventId: string;
  attempt: number;
}

const DUPLICATE_KEY = 11_000;

export class DeliveryRepository {
  private readonly clock: () => Date;

  /** The sealer also seals stored requests: their links carry tokens. */
  constructor(
    private readonly deliveries: Model<DeliveryDocument>,
    private readonly outbox: OutboxWriter,
    private readonly sealer: Sealer,
  ) {
    this.clock = outbox.clock;
  }

  /**
   * Takes the right to send this request: the first claim inserts the record; a later one wins only
   * if an earlier claim was abandoned (its lease ran out while still sending). Anything else, sent,
   * failed or being sent right now, answers null.
   */
  async claim(request: DeliveryRequest, leaseMs: number): Promise<Claim | null> {
    const now = this.clock();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    try {
      await this.deliveries.create({
        _id: request.eventId,
        status: 'sending',
        template: request.template,
        to: request.to,
        userId: request.userId,
        sealedRequest: this.sealer.seal(request.payload),
        leaseUntil,
        attempts: 1,
        messageId: request.messageId,
      });
      return { eventId: request.eventId, attempt: 1 };
    } catch (error) {
      if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
    }
    return this.takeOver(request.eventId, now, leaseUntil);
  }

  /** Abandoned claims, oldest first, for the sweep that finishes what a crash interrupted. */
  async abandoned(limit: number): Promise<{ eventId: string; payload: string }[]> {
    const docs = await this.deliveries
      .find({ status: 'sending', leaseUntil: { $lt: this.clock() } }, { sealedRequest: 1 })
      .sort({ leaseUntil: 1 })
      .limit(limit)
      .lean();
    return docs.flatMap((doc) => (doc.sealedRequest ? [{ eventId: doc._id, payload: this.sealer.open(doc.sealedRequest) }] : []));
  }

  async takeOver(eventId: string, now: Date, leaseUntil: Date): Promise<Claim | null> {
    const doc = await this.deliveries
      .findOneAndUpdate(
        { _id: eventId, status: 'sending', leaseUntil: { $lt: now } },
        { $set: { leaseUntil }, $inc: { attempts: 1 } },
        { new: true, projection: { attempts: 1 } },
      )
      .lean();
    return doc ? { eventId, attempt: doc.attempts } : null;
  }

  /** Gives a claim back after a passing failure, so the next attempt can take it at once. */
  async release(claim: Claim, error: string): Promise<void> {
    await this.deliveries.updateOne({ _id: claim.eventId, status: 'sending' }, { $set: { leaseUntil: new Date(0), error } });
  }

  async markSent(claim: Claim, result: SendResult, events: AnyCloudEvent[]): Promise<void> {
    await this.finish(
      claim,
      { status: 'sent', provider: result.provider, providerMessageId: result.providerMessageId, sentAt: this.clock(), error: null },
      events,
    );
  }

  async markFailed(claim: Claim, error: string, events: AnyCloudEvent[]): Promise<void> {
    await this.finish(claim, { status: 'failed', error }, events);
  }

  private async finish(claim: Claim, fields: Partial<DeliveryDocument>, events: AnyCloudEvent[]): Promise<void> {
    await this.deliveries.updateOne(
      { _id: claim.eventId, status: 'sending' },
      { $set: { ...fields, sealedRequest: null }, $push: { outbox: { $each: this.outbox.entries(events) } } },
    );
    this.outbox.written(this.deliveries.collection, claim.eventId);
  }
}
