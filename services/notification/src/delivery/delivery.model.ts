import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';

export type DeliveryStatus = 'sending' | 'sent' | 'failed';

/** One email request, keyed by the event id that asked for it: the unique `_id` is the idempotency key. */
export interface DeliveryDocument {
  _id: string;
  status: DeliveryStatus;
  template: string;
  to: string;
  userId: string | null;
  /** The request (sealed: its links carry tokens), kept only until the email is out, for takeovers. */
  sealedRequest: string | null;
  leaseUntil: Date;
  /** The trace of the request that asked for the email, continued by a takeover after a crash. */
  traceContext?: Record<string, string>;
  attempts: number;
  messageId: string;
  provider: string | null;
  providerMessageId: string | null;
  error: string | null;
  sentAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

const deliverySchema = new Schema<DeliveryDocument>(
  {
    _id: { type: String, required: true },
    status: { type: String, required: true, enum: ['sending', 'sent', 'failed'] },
    template: { type: String, required: true },
    to: { type: String, required: true },
    userId: { type: String, default: null },
    sealedRequest: { type: String, default: null },
    leaseUntil: { type: Date, required: true },
    traceContext: { type: Schema.Types.Mixed, default: undefined },
    attempts: { type: Number, default: 0 },
    messageId: { type: String, required: true },
    provider: { type: String, default: null },
    providerMessageId: { type: String, default: null },
    error: { type: String, default: null },
    sentAt: { type: Date, default: null },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'deliveries', timestamps: true, versionKey: false },
);

deliverySchema.index({ status: 1, leaseUntil: 1 });
deliverySchema.index({ userId: 1 });
deliverySchema.index({ 'outbox.createdAt': 1 });

export function deliveryModel(connection: Connection): Model<DeliveryDocument> {
  return connection.model<DeliveryDocument>('Delivery', deliverySchema);
}
