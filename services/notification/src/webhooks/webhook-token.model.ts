import { Schema, type Connection, type Model } from 'mongoose';

/** A webhook token already accepted; the unique `_id` makes a replay lose the insert race. */
export interface WebhookTokenDocument {
  _id: string;
  expiresAt: Date;
}

const webhookTokenSchema = new Schema<WebhookTokenDocument>(
  {
    _id: { type: String, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'webhook_tokens', versionKey: false },
);
webhookTokenSchema.index({ expiresAt: 1 });

export function webhookTokenModel(connection: Connection): Model<WebhookTokenDocument> {
  return connection.model<WebhookTokenDocument>('WebhookToken', webhookTokenSchema);
}
