import { Schema, type Connection, type Model } from 'mongoose';

/** One WebAuthn credential of an account. Nothing here is secret: the private key never leaves the authenticator. */
export interface PasskeyDocument {
  /** The credential id (base64url), unique across all accounts as the authenticator makes it. */
  _id: string;
  userId: string;
  name: string;
  /** The COSE public key, base64url. */
  publicKey: string;
  /** The authenticator's sign counter at the last accepted use: a later use must show a higher one (or 0 forever). */
  counter: number;
  transports: string[];
  deviceType: 'singleDevice' | 'multiDevice';
  backedUp: boolean;
  aaguid: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** A challenge handed out with options, taken back (once) by the answer to them. */
export interface PasskeyChallengeDocument {
  /** SHA-256 of the challenge (base64url): the answer's clientDataJSON names its challenge, which finds this. */
  _id: string;
  purpose: 'registration' | 'sign-in' | 'second-factor';
  /** The account a registration or a second factor is for; absent for a sign-in with a passkey alone. */
  userId?: string;
  /** SHA-256 of the mfa_token a second-factor challenge belongs to. */
  mfaHash?: string;
  expiresAt: Date;
}

const passkeySchema = new Schema<PasskeyDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true, index: true },
    name: { type: String, required: true },
    publicKey: { type: String, required: true },
    counter: { type: Number, required: true },
    transports: { type: [String], default: [] },
    deviceType: { type: String, required: true },
    backedUp: { type: Boolean, required: true },
    aaguid: { type: String, default: '' },
    createdAt: { type: Date, required: true },
    lastUsedAt: { type: Date, default: null },
  },
  { collection: 'passkeys', versionKey: false },
);

const challengeSchema = new Schema<PasskeyChallengeDocument>(
  {
    _id: { type: String, required: true },
    purpose: { type: String, required: true },
    userId: { type: String },
    mfaHash: { type: String },
    // The local Mongo-wire server has no TTL indexes: expiry is checked on use and purged by maintenance.
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'passkey_challenges', versionKey: false },
);

export function passkeyModel(connection: Connection): Model<PasskeyDocument> {
  return connection.model<PasskeyDocument>('Passkey', passkeySchema);
}

export function passkeyChallengeModel(connection: Connection): Model<PasskeyChallengeDocument> {
  return connection.model<PasskeyChallengeDocument>('PasskeyChallenge', challengeSchema);
}
