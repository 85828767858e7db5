import type { Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import { captureTraceContext, escapeRegExp, type OutboxWriter, type Sealer, type TraceCarrier } from '@solar/chassis';
import type { SendResult } from '../providers/email-provider';
import type { DeliveryDocument, DeliveryStatus } from './delivery.model';

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

/** What an erased delivery keeps in its required `to` field. */
const ERASED_RECIPIENT = '[erased]';

/** A stored request is bound to its delivery, so one moved onto another delivery does not open. */
const requestContext = (eventId: string) => `notification.deliveries/${eventId}/sealedRequest`;

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
        sealedRequest: this.sealer.seal(request.payload, requestContext(request.eventId)),
        leaseUntil,
        traceContext: captureTraceContext(),
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
  async abandoned(limit: number): Promise<{ eventId: string; payload: string; traceContext?: TraceCarrier | undefined }[]> {
    const docs = await this.deliveries
      .find({ status: 'sending', leaseUntil: { $lt: this.clock() } }, { sealedRequest: 1, traceContext: 1 })
      .sort({ leaseUntil: 1 })
      .limit(limit)
      .lean();
    return docs.flatMap((doc) =>
      doc.sealedRequest
        ? // Requests sealed before contexts existed may still be waiting for a takeover across the upgrade;
          // they are erased once the email is out, so the old format does not last.
          [
            {
              eventId: doc._id,
              payload: this.sealer.open(doc.sealedRequest, requestContext(doc._id), { legacy: true }),
              traceContext: doc.traceContext,
            },
          ]
        : [],
    );
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

  /**
   * Extends a claim that is still this worker's (not finished, not taken over: same attempt number),
   * before a retry that would outlast it. False means someone else owns the delivery now.
   */
  async renew(claim: Claim, leaseUntil: Date): Promise<boolean> {
    const result = await this.deliveries.updateOne(
      { _id: claim.eventId, status: 'sending', attempts: claim.attempt },
      { $set: { leaseUntil } },
    );
    return result.matchedCount === 1;
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

  /** Emails sent since a moment: the denominator of the bounce rate (src/suppression). */
  async countSentSince(since: Date): Promise<number> {
    return this.deliveries.countDocuments({ status: 'sent', sentAt: { $gte: since } });
  }

  /** Where a delivery stands: erasure waits until the final email's record is no longer 'sending'. */
  async statusOf(eventId: string): Promise<DeliveryStatus | null> {
    const doc = await this.deliveries.findById(eventId, { status: 1 }).lean();
    return doc?.status ?? null;
  }

  /**
   * Erasure (src/erasure): each delivery to this user or address keeps only what is anonymous (id,
   * template, status, times), so a replayed request still finds its record and is not sent again. One
   * still being sent is ended as failed, since its recipient no longer exists. Idempotent.
   */
  /** What a data export tells the person: the emails sent to them, without their content, newest first. */
  async ofRecipient(userId: string, address: string, limit: number): Promise<DeliveryDocument[]> {
    const recipient = { $or: [{ userId }, { to: { $regex: `^${escapeRegExp(address)}$`, $options: 'i' } }] };
    return this.deliveries
      .find(recipient, { template: 1, to: 1, status: 1, createdAt: 1, sentAt: 1 })
      .sort({ createdAt: -1 })
      .limit(limit)
      .lean();
  }

  async eraseRecipient(userId: string, address: string): Promise<number> {
    const recipient = { $or: [{ userId }, { to: { $regex: `^${escapeRegExp(address)}$`, $options: 'i' } }] };
    await this.deliveries.updateMany({ ...recipient, status: 'sending' }, { $set: { status: 'failed', leaseUntil: new Date(0) } });
    const result = await this.deliveries.updateMany(recipient, {
      $set: { to: ERASED_RECIPIENT, userId: null, sealedRequest: null, error: null, providerMessageId: null },
    });
    return result.modifiedCount;
  }

  private async finish(claim: Claim, fields: Partial<DeliveryDocument>, events: AnyCloudEvent[]): Promise<void> {
    await this.deliveries.updateOne(
      { _id: claim.eventId, status: 'sending' },
      { $set: { ...fields, sealedRequest: null }, $push: { outbox: { $each: this.outbox.entries(events) } } },
    );
    this.outbox.written(this.deliveries.collection, claim.eventId);
  }
}
