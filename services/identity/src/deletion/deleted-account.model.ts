import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';

/**
 * What stays of a purged account: no personal data, only the pseudonym its audit entries now carry,
 * and the outbox that publishes UserDeleted. The event cannot live in the account's own outbox, which
 * goes with the account; here it survives the removal and is published exactly once per request.
 */
export interface DeletedAccountDocument {
  /** The deletion request's id: one tombstone per request, so a repeated purge cannot write a second UserDeleted. */
  _id: string;
  userPseudonym: string;
  reason: 'requested' | 'inactivity' | 'unverified';
  requestedAt: Date;
  deletedAt: Date;
  outbox: OutboxEntry[];
}

const deletedAccountSchema = new Schema<DeletedAccountDocument>(
  {
    _id: { type: String, required: true },
    userPseudonym: { type: String, required: true },
    reason: { type: String, required: true, enum: ['requested', 'inactivity', 'unverified'] },
    requestedAt: { type: Date, required: true },
    deletedAt: { type: Date, required: true },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'deleted_accounts', versionKey: false },
);

deletedAccountSchema.index({ 'outbox.createdAt': 1 });

export function deletedAccountModel(connection: Connection): Model<DeletedAccountDocument> {
  return connection.model<DeletedAccountDocument>('DeletedAccount', deletedAccountSchema);
}
