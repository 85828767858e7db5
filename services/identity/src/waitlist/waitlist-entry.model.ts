import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';
import { SUPPORTED_LOCALES, type Locale, type WaitlistStatus } from '@solar/contracts';

export interface StoredInvite {
  /** SHA-256 of the token; the token itself goes only into the (sealed) email request. */
  hash: string;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface WaitlistEntryDocument {
  _id: string;
  email: string;
  name: string | null;
  /** The language of the confirmation and the invite; absent on entries older than it, read as `en`. */
  locale?: Locale;
  status: WaitlistStatus;
  createdAt: Date;
  updatedAt: Date;
  decidedAt: Date | null;
  /** The admin who approved or rejected the entry. */
  decidedBy: string | null;
  invite: StoredInvite | null;
  outbox: OutboxEntry[];
}

const inviteSchema = new Schema<StoredInvite>(
  {
    hash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
  },
  { _id: false },
);

const waitlistEntrySchema = new Schema<WaitlistEntryDocument>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    name: { type: String, default: null },
    locale: { type: String, enum: SUPPORTED_LOCALES },
    status: { type: String, required: true, enum: ['pending', 'approved', 'rejected'] },
    decidedAt: { type: Date, default: null },
    decidedBy: { type: String, default: null },
    invite: { type: inviteSchema, default: null },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'waitlist_entries', timestamps: true, versionKey: false },
);

waitlistEntrySchema.index({ email: 1 }, { unique: true });
waitlistEntrySchema.index({ createdAt: 1, _id: 1 });
waitlistEntrySchema.index({ status: 1, createdAt: 1, _id: 1 });
// Lookup only, like the users' token hashes: 256 random bits do not collide.
waitlistEntrySchema.index({ 'invite.hash': 1 });
waitlistEntrySchema.index({ 'outbox.createdAt': 1 });

export function waitlistEntryModel(connection: Connection): Model<WaitlistEntryDocument> {
  return connection.model<WaitlistEntryDocument>('WaitlistEntry', waitlistEntrySchema);
}
