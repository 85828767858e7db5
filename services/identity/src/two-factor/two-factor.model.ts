import { Schema } from 'mongoose';
import type { PendingReset } from './pending-reset';

interface RecoveryCodeHash {
  hash: string;
  usedAt: Date | null;
}

export interface TwoFactorState {
  /** The confirmed TOTP secret, sealed (AES-256-GCM with a key id); null while two-factor is off. */
  secret: string | null;
  /** A secret handed out by enable and not yet confirmed by a code, sealed. */
  pendingSecret: string | null;
  enabledAt: Date | null;
  /** The last TOTP time step accepted: codes of that step or earlier are refused (no replay). */
  lastTimeStep: number | null;
  recoveryCodes: RecoveryCodeHash[];
  /** A reset confirmed from the mailbox by an owner who lost the factor; null when none is pending. */
  reset: PendingReset | null;
}

export interface MfaChallenge {
  hash: string;
  expiresAt: Date;
  usedAt: Date | null;
  /** Wrong codes presented with this challenge so far. */
  attempts: number;
  createdAt: Date;
  /** Opened by a sign-in with a verified CAPTCHA: the second step is let past the address-wide count too. */
  captchaSolved?: boolean;
}

const recoveryCodeSchema = new Schema<RecoveryCodeHash>(
  { hash: { type: String, required: true }, usedAt: { type: Date, default: null } },
  { _id: false },
);

const pendingResetSchema = new Schema<PendingReset>(
  { confirmedAt: { type: Date, required: true }, effectiveAt: { type: Date, required: true } },
  { _id: false },
);

export const twoFactorSchema = new Schema<TwoFactorState>(
  {
    secret: { type: String, default: null },
    pendingSecret: { type: String, default: null },
    enabledAt: { type: Date, default: null },
    lastTimeStep: { type: Number, default: null },
    recoveryCodes: { type: [recoveryCodeSchema], default: [] },
    reset: { type: pendingResetSchema, default: null },
  },
  { _id: false },
);

export const mfaChallengeSchema = new Schema<MfaChallenge>(
  {
    hash: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    usedAt: { type: Date, default: null },
    attempts: { type: Number, default: 0 },
    createdAt: { type: Date, required: true },
    captchaSolved: { type: Boolean },
  },
  { _id: false },
);
