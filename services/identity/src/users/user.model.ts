import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';

export interface UserDocument {
  _id: string;
  email: string;
  passwordHash: string;
  roles: string[];
  emailVerifiedAt: Date | null;
  /** The pending verification: SHA-256 of the token, never the token. */
  verification: { tokenHash: string; expiresAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
  outbox: OutboxEntry[];
}

const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    passwordHash: { type: String, required: true, select: false },
    roles: { type: [String], default: ['user'] },
    emailVerifiedAt: { type: Date, default: null },
    verification: {
      type: new Schema({ tokenHash: { type: String, required: true }, expiresAt: { type: Date, required: true } }, { _id: false }),
      default: null,
    },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'users', timestamps: true, versionKey: false },
);

userSchema.index({ email: 1 }, { unique: true });
// Sparse, not partial: the Mongo-wire server used in development ignores partial filters.
userSchema.index({ 'verification.tokenHash': 1 }, { unique: true, sparse: true });
userSchema.index({ 'outbox.createdAt': 1 });

export function userModel(connection: Connection): Model<UserDocument> {
  return connection.model<UserDocument>('User', userSchema);
}
