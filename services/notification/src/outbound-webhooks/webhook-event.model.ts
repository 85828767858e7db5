import { Schema, type Connection, type Model } from 'mongoose';

/** A public event as sent to endpoints, kept for WEBHOOK_EVENT_RETENTION so a time window can be replayed. */
export interface WebhookEventDocument {
  _id: string;
  eventType: string;
  subject: string;
  time: Date;
  /** The CloudEvent in structured JSON, sealed: it names accounts and addresses. */
  sealedBody: string;
  expiresAt: Date;
}

const eventSchema = new Schema<WebhookEventDocument>(
  {
    _id: { type: String, required: true },
    eventType: { type: String, required: true },
    subject: { type: String, required: true },
    time: { type: Date, required: true },
    sealedBody: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'webhook_events', versionKey: false },
);
eventSchema.index({ time: 1 });
eventSchema.index({ expiresAt: 1 });

export function webhookEventModel(connection: Connection): Model<WebhookEventDocument> {
  return connection.model<WebhookEventDocument>('WebhookEvent', eventSchema);
}
