import { Schema, type Connection, type Model } from 'mongoose';
import { AUDIT_ACTIONS, type AuditAction } from '@solar/contracts';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';

export interface AuditEntryDocument {
  _id: string;
  /** Null when nobody could be identified, such as a sign-in attempt for an unknown address. */
  userId: string | null;
  action: AuditAction;
  outcome: 'success' | 'failure';
  ip: string;
  userAgent: string;
  at: Date;
  details: Record<string, string | number | boolean | null>;
  /** Security events recorded by this entry, published from here like any outbox. */
  outbox: OutboxEntry[];
}

const auditEntrySchema = new Schema<AuditEntryDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, default: null },
    action: { type: String, required: true, enum: AUDIT_ACTIONS },
    outcome: { type: String, required: true, enum: ['success', 'failure'] },
    ip: { type: String, required: true },
    userAgent: { type: String, default: '' },
    at: { type: Date, required: true },
    details: { type: Schema.Types.Mixed, default: {} },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'audit_log', versionKey: false, minimize: false },
);

auditEntrySchema.index({ userId: 1, at: -1, _id: -1 });
auditEntrySchema.index({ at: -1, _id: -1 });
auditEntrySchema.index({ action: 1, at: -1 });
auditEntrySchema.index({ 'outbox.createdAt': 1 });
// Pseudonymisation of a purged account finds entries that name its address without its id (sign-in failures).
auditEntrySchema.index({ 'details.email': 1 });

export function auditEntryModel(connection: Connection): Model<AuditEntryDocument> {
  return connection.model<AuditEntryDocument>('AuditEntry', auditEntrySchema);
}
