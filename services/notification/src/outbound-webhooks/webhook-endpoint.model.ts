import { Schema, type Connection, type Model } from 'mongoose';

export interface WebhookEndpointDocument {
  _id: string;
  url: string;
  /** Short names of public event types, or WebhookTest for none. */
  eventTypes: string[];
  description: string;
  enabled: boolean;
  disabledReason: 'admin' | 'failing' | null;
  /** Start of the current streak of failed attempts; null after any success. */
  failingSince: Date | null;
  /** Sealed `whsec_` secrets, newest first; an older one signs until its `expiresAt`. */
  secrets: { sealed: string; expiresAt: Date | null }[];
  createdAt: Date;
  updatedAt: Date;
}

const endpointSchema = new Schema<WebhookEndpointDocument>(
  {
    _id: { type: String, required: true },
    url: { type: String, required: true },
    eventTypes: { type: [String], required: true },
    description: { type: String, default: '' },
    enabled: { type: Boolean, required: true },
    disabledReason: { type: String, default: null },
    failingSince: { type: Date, default: null },
    secrets: { type: [{ _id: false, sealed: { type: String, required: true }, expiresAt: { type: Date, default: null } }], required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'webhook_endpoints', versionKey: false },
);
endpointSchema.index({ enabled: 1, eventTypes: 1 });

export function webhookEndpointModel(connection: Connection): Model<WebhookEndpointDocument> {
  return connection.model<WebhookEndpointDocument>('WebhookEndpoint', endpointSchema);
}
