import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';
import type { EmailProvider } from '@solar/contracts';
import type { MailEventKind, SuppressionReason } from './mail-event';

/** An address we must not send to; `_id` is the normalized address, so it is unique by construction. */
export interface SuppressionDocument {
  _id: string;
  reason: SuppressionReason;
  /** The provider that reported it, or 'manual'. */
  source: string;
  at: Date;
}

/**
 * One bounce or complaint as a provider reported it. `address` is nulled on erasure: the counts by
 * provider and kind stay, the person does not.
 */
export interface BounceEventDocument {
  _id: string;
  provider: EmailProvider;
  kind: MailEventKind;
  address: string | null;
  at: Date;
  receivedAt: Date;
}

/**
 * An admin let mail go to a suppressed address again: who, when and why, kept for good beside the
 * suppression it replaced. `address` is nulled on erasure like a bounce event's.
 */
export interface SuppressionRemovalDocument {
  _id: string;
  address: string | null;
  reason: SuppressionReason;
  source: string;
  suppressedAt: Date;
  removedBy: string;
  note: string;
  removedAt: Date;
  /** EmailSuppressionRemoved until the relay has published it. */
  outbox: OutboxEntry[];
}

const suppressionSchema = new Schema<SuppressionDocument>(
  {
    _id: { type: String, required: true },
    reason: { type: String, required: true, enum: ['hard_bounce', 'complaint', 'manual'] },
    source: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'suppressions', versionKey: false },
);

const bounceEventSchema = new Schema<BounceEventDocument>(
  {
    _id: { type: String, required: true },
    provider: { type: String, required: true },
    kind: { type: String, required: true, enum: ['hard_bounce', 'soft_bounce', 'complaint', 'dropped'] },
    address: { type: String, default: null },
    at: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
  },
  { collection: 'bounce_events', versionKey: false },
);
bounceEventSchema.index({ receivedAt: 1 });
bounceEventSchema.index({ address: 1 });
// The admin lists, newest first.
suppressionSchema.index({ at: -1, _id: -1 });

const suppressionRemovalSchema = new Schema<SuppressionRemovalDocument>(
  {
    _id: { type: String, required: true },
    address: { type: String, default: null },
    reason: { type: String, required: true, enum: ['hard_bounce', 'complaint', 'manual'] },
    source: { type: String, required: true },
    suppressedAt: { type: Date, required: true },
    removedBy: { type: String, required: true },
    note: { type: String, required: true },
    removedAt: { type: Date, required: true },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'suppression_removals', versionKey: false },
);
suppressionRemovalSchema.index({ removedAt: -1, _id: -1 });
suppressionRemovalSchema.index({ address: 1 });
suppressionRemovalSchema.index({ 'outbox.createdAt': 1 });

export function suppressionModel(connection: Connection): Model<SuppressionDocument> {
  return connection.model<SuppressionDocument>('Suppression', suppressionSchema);
}

export function bounceEventModel(connection: Connection): Model<BounceEventDocument> {
  return connection.model<BounceEventDocument>('BounceEvent', bounceEventSchema);
}

export function suppressionRemovalModel(connection: Connection): Model<SuppressionRemovalDocument> {
  return connection.model<SuppressionRemovalDocument>('SuppressionRemoval', suppressionRemovalSchema);
}
