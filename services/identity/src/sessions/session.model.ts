import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';

export type RevokeReason =
  | 'logout'
  | 'logout_all'
  | 'revoked_by_user'
  | 'refresh_token_reused'
  | 'password_changed'
  | 'password_reset'
  | 'email_change_undone'
  | 'revoked_by_admin'
  | 'account_disabled'
  | 'expired';

/** A session is one refresh-token family: the current token's hash, and the hashes it replaced. */
export interface SessionDocument {
  _id: string;
  userId: string;
  tokenHash: string;
  previousTokenHashes: string[];
  /** The token the last rotation spent, and when: presented again within the reuse grace, it is a race, not theft. */
  rotatedTokenHash: string | null;
  rotatedAt: Date | null;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: RevokeReason | null;
  /** RFC 8176 methods the sign-in used (`pwd`, `otp`, `hwk`, `swk`); absent on sessions opened before it was kept. */
  amr?: string[];
  outbox: OutboxEntry[];
}

const sessionSchema = new Schema<SessionDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    tokenHash: { type: String, required: true },
    previousTokenHashes: { type: [String], default: [] },
    rotatedTokenHash: { type: String, default: null },
    rotatedAt: { type: Date, default: null },
    userAgent: { type: String, default: '' },
    ip: { type: String, required: true },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedReason: { type: String, default: null },
    amr: { type: [String], default: undefined },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'sessions', versionKey: false },
);

sessionSchema.index({ tokenHash: 1 }, { unique: true });
sessionSchema.index({ previousTokenHashes: 1 });
sessionSchema.index({ userId: 1, revokedAt: 1 });
sessionSchema.index({ 'outbox.createdAt': 1 });

export function sessionModel(connection: Connection): Model<SessionDocument> {
  return connection.model<SessionDocument>('Session', sessionSchema);
}
