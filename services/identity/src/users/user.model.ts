import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';
import { SUPPORTED_LOCALES, type Locale } from '@solar/contracts';
import type { StoredToken } from '../tokens/one-time-token';
import type { MfaChallenge, TwoFactorState } from '../two-factor/two-factor.model';
import { mfaChallengeSchema, twoFactorSchema } from '../two-factor/two-factor.model';

export type Role = 'user' | 'admin';

/** A deletion waiting for its grace period to end; one at a time, replaced only by a new request after a cancel. */
export interface PendingDeletion {
  requestId: string;
  reason: 'requested' | 'inactivity' | 'unverified';
  requestedAt: Date;
  purgeAt: Date;
  /**
   * Set by the purge's first step: from here on the deletion can no longer be cancelled nor the
   * account signed into, and a purge interrupted by a crash resumes from the steps it had not done.
   */
  purgeStartedAt: Date | null;
}

export interface UserDocument {
  _id: string;
  email: string;
  passwordHash: string;
  roles: Role[];
  displayName: string | null;
  /** The language of the account's emails; absent on accounts created before it existed, read as `en`. */
  locale?: Locale;
  emailVerifiedAt: Date | null;
  passwordChangedAt: Date | null;
  /** One-time tokens (verification, password reset, two-factor reset, email change and its undo): SHA-256 only, kept after use so a replay gets `token_used`. */
  tokens: StoredToken[];
  /** TOTP secret (sealed), recovery code hashes and replay guard; absent on accounts that never set it up. */
  twoFactor?: TwoFactorState;
  /** Second-factor challenges opened by a correct password: SHA-256 only, single-use, few attempts. */
  mfaChallenges?: MfaChallenge[];
  createdAt: Date;
  updatedAt: Date;
  /** Null when none is pending. */
  deletion: PendingDeletion | null;
  /** Set while an admin has the account disabled: every sign-in is refused. Absent on accounts never disabled. */
  disabledAt?: Date | null;
  /** The last password (or second-factor) sign-in; null until the first. */
  lastSignInAt: Date | null;
  /** When the inactivity warning went out; a sign-in clears it. */
  inactivityWarnedAt: Date | null;
  /** When a sign-in found the password breached; a change or reset clears it. Absent on accounts never flagged. */
  passwordBreachedAt?: Date | null;
  /** The last email asking for a new password after a breached sign-in: one per BREACHED_PASSWORD_NOTICE_INTERVAL. */
  breachNoticeSentAt?: Date | null;
  outbox: OutboxEntry[];
}

const tokenSchema = new Schema<StoredToken>(
  {
    hash: { type: String, required: true },
    purpose: {
      type: String,
      required: true,
      enum: ['verify-email', 'password-reset', 'two-factor-reset', 'email-change', 'email-change-undo'],
    },
    email: { type: String, default: undefined },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    createdAt: { type: Date, required: true },
  },
  { _id: false },
);

const pendingDeletionSchema = new Schema<PendingDeletion>(
  {
    requestId: { type: String, required: true },
    reason: { type: String, required: true, enum: ['requested', 'inactivity', 'unverified'] },
    requestedAt: { type: Date, required: true },
    purgeAt: { type: Date, required: true },
    purgeStartedAt: { type: Date, default: null },
  },
  { _id: false },
);

const userSchema = new Schema<UserDocument>(
  {
    _id: { type: String, required: true },
    email: { type: String, required: true },
    passwordHash: { type: String, required: true, select: false },
    roles: { type: [String], enum: ['user', 'admin'], default: ['user'] },
    displayName: { type: String, default: null },
    // No default: lean reads return documents as stored, so the fallback for older accounts is in toSummary.
    locale: { type: String, enum: SUPPORTED_LOCALES },
    emailVerifiedAt: { type: Date, default: null },
    passwordChangedAt: { type: Date, default: null },
    tokens: { type: [tokenSchema], default: [] },
    twoFactor: { type: twoFactorSchema, default: undefined },
    mfaChallenges: { type: [mfaChallengeSchema], default: undefined },
    deletion: { type: pendingDeletionSchema, default: null },
    disabledAt: { type: Date, default: undefined },
    lastSignInAt: { type: Date, default: null },
    inactivityWarnedAt: { type: Date, default: null },
    passwordBreachedAt: { type: Date, default: undefined },
    breachNoticeSentAt: { type: Date, default: undefined },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'users', timestamps: true, versionKey: false },
);

userSchema.index({ email: 1 }, { unique: true });
// Lookup only: 256 random bits do not collide, and a unique index over an often empty array is
// handled differently by MongoDB and the Mongo-wire server used in development.
userSchema.index({ 'tokens.hash': 1 });
// The addresses live undo links would restore, reserved against registration and email changes.
userSchema.index({ 'tokens.email': 1 }, { sparse: true });
userSchema.index({ 'mfaChallenges.hash': 1 });
userSchema.index({ 'outbox.createdAt': 1 });
userSchema.index({ createdAt: -1, _id: -1 });
// The maintenance tasks' scans: expired tokens, unverified accounts, inactive accounts, stalled purges.
userSchema.index({ 'tokens.expiresAt': 1 });
userSchema.index({ emailVerifiedAt: 1, createdAt: 1 });
userSchema.index({ lastSignInAt: 1 });
userSchema.index({ 'deletion.purgeStartedAt': 1 });

export function userModel(connection: Connection): Model<UserDocument> {
  return connection.model<UserDocument>('User', userSchema);
}
