import { Schema, type Connection } from 'mongoose';

export type DeletionStatus = 'pending' | 'cancelled' | 'superseded' | 'done';

/**
 * Lifecycle's own view of a deletion request, built from identity's events. The user id is kept only
 * while the request is pending (the sweep needs it to republish); no address is ever stored.
 */
export interface PendingDeletion {
  _id: string; // the deletion request id
  userId?: string;
  purgeAt?: Date;
  status: DeletionStatus;
  /** Times DeletionGracePeriodExpired went out for this request (job and sweep). */
  published: number;
  lastPublishedAt?: Date;
  updatedAt: Date;
}

const schema = new Schema<PendingDeletion>(
  {
    _id: { type: String, required: true },
    userId: { type: String },
    purgeAt: { type: Date },
    status: { type: String, required: true, enum: ['pending', 'cancelled', 'superseded', 'done'] },
    published: { type: Number, required: true, default: 0 },
    lastPublishedAt: { type: Date },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'pending_deletions' },
);
schema.index({ status: 1, purgeAt: 1 });
schema.index({ userId: 1 }, { sparse: true });

export const pendingDeletionModel = (db: Connection) => db.model<PendingDeletion>('PendingDeletion', schema);
