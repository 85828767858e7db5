import { Schema, type Connection, type Model } from 'mongoose';

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'dead';

/** One event for one endpoint: `_id` is `<endpointId>:<eventId>`, so an event is queued once per endpoint. */
export interface WebhookDeliveryDocument {
  _id: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  /** The account (CloudEvents subject): deliveries of one subject to one endpoint go out in `seq` order. */
  subject: string;
  seq: number;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** A replica's claim: until then no other sends it; `leaseToken` fences a claim that was taken over. */
  leaseUntil: Date;
  leaseToken: string | null;
  lastAttemptAt: Date | null;
  lastStatus: number | null;
  lastResponse: string | null;
  /** When the retry clock started (queued, or queued again by a replay). */
  createdAt: Date;
  deliveredAt: Date | null;
}

const deliverySchema = new Schema<WebhookDeliveryDocument>(
  {
    _id: { type: String, required: true },
    endpointId: { type: String, required: true },
    eventId: { type: String, required: true },
    eventType: { type: String, required: true },
    subject: { type: String, required: true },
    seq: { type: Number, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, required: true },
    leaseToken: { type: String, default: null },
    lastAttemptAt: { type: Date, default: null },
    lastStatus: { type: Number, default: null },
    lastResponse: { type: String, default: null },
    createdAt: { type: Date, required: true },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'webhook_deliveries', versionKey: false },
);
deliverySchema.index({ status: 1, endpointId: 1, subject: 1, seq: 1 });
deliverySchema.index({ endpointId: 1, createdAt: -1 });

export function webhookDeliveryModel(connection: Connection): Model<WebhookDeliveryDocument> {
  return connection.model<WebhookDeliveryDocument>('WebhookDelivery', deliverySchema);
}
