import type { FilterQuery, Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { OutboxWriter } from '@solar/chassis';
import { accountEntries } from '../user-state/user-state';
import type { UserDocument } from '../users/user.model';
import { SUMMARY, toSummary, type UserSummary } from '../users/user.repository';
import type { StoredToken } from '../tokens/one-time-token';
import type { PendingReset } from './pending-reset';
import { SIGN_IN_GATE, signInGateOf, type SignInGate } from './sign-in-gate';
import type { MfaChallenge, TwoFactorState } from './two-factor.model';

export interface TwoFactorAccount {
  user: UserSummary;
  twoFactor: TwoFactorState;
}

export interface ChallengedAccount extends TwoFactorAccount {
  challenge: MfaChallenge | undefined;
}

export interface ResetTokenAccount extends TwoFactorAccount {
  token: StoredToken | undefined;
}

const OFF: TwoFactorState = { secret: null, pendingSecret: null, enabledAt: null, lastTimeStep: null, recoveryCodes: [], reset: null };

/**
 * Unconfirmed reset links die whenever two-factor is turned on or off: they were asked for against
 * the two-factor the account had then, and must not start a reset of a newer one.
 */
const VOID_RESET_LINKS = { $pull: { tokens: { purpose: 'two-factor-reset', usedAt: null } } };

/** Fields written by dotted updates may be missing rather than null; reads see the full shape. */
function stateOf(stored: Partial<TwoFactorState> | undefined): TwoFactorState {
  return {
    secret: stored?.secret ?? null,
    pendingSecret: stored?.pendingSecret ?? null,
    enabledAt: stored?.enabledAt ?? null,
    lastTimeStep: stored?.lastTimeStep ?? null,
    recoveryCodes: stored?.recoveryCodes ?? [],
    reset: stored?.reset ?? null,
  };
}

const isOn: FilterQuery<UserDocument> = { 'twoFactor.enabledAt': { $ne: null } };

/** A code's time step must come after the last one accepted: the replay guard, checked in the write itself. */
const stepAfterLast = (step: number): FilterQuery<UserDocument> => ({
  $or: [{ 'twoFactor.lastTimeStep': null }, { 'twoFactor.lastTimeStep': { $lt: step } }],
});

/** A reset link that can still be confirmed. */
const openResetToken = (hash: string, now: Date): FilterQuery<UserDocument> => ({
  tokens: { $elemMatch: { hash, purpose: 'two-factor-reset', usedAt: null, expiresAt: { $gt: now } } },
});

/** A challenge that can still take an attempt. */
const openChallenge = (hash: string, now: Date, maxAttempts: number) => ({
  mfaChallenges: { $elemMatch: { hash, usedAt: null, expiresAt: { $gt: now }, attempts: { $lt: maxAttempts } } },
});

// Challenges kept per account: enough for a few devices signing in at once; older ones fall off.
const KEPT_CHALLENGES = 10;

/**
 * Two-factor state in the user document. Every check that decides an outcome (the code's time step
 * after the last, the recovery code unused, the challenge open) sits in the filter of the write that
 * records it, so concurrent requests cannot both pass: one document, one atomic update.
 */
export class TwoFactorRepository {
  constructor(
    private readonly users: Model<UserDocument>,
    private readonly outbox: OutboxWriter,
  ) {}

  async find(userId: string): Promise<TwoFactorAccount | null> {
    const doc = await this.users.findById(userId, { ...SUMMARY, twoFactor: 1 }).lean();
    return doc ? { user: toSummary(doc), twoFactor: stateOf(doc.twoFactor) } : null;
  }

  /** Keeps a new unconfirmed secret; false when two-factor is already on. */
  async setPending(userId: string, sealedSecret: string): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, 'twoFactor.enabledAt': null },
      { $set: { 'twoFactor.pendingSecret': sealedSecret } },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Turns two-factor on with the pending secret the caller verified (`pending` as stored, `sealed` as
   * sealed anew for the confirmed field); false if it changed or was confirmed meanwhile.
   */
  async enable(
    userId: string,
    secret: { pending: string; sealed: string },
    change: { timeStep: number; recoveryCodeHashes: string[]; now: Date },
    events: AnyCloudEvent[],
  ): Promise<boolean> {
    const twoFactor: TwoFactorState = {
      secret: secret.sealed,
      pendingSecret: null,
      enabledAt: change.now,
      lastTimeStep: change.timeStep,
      recoveryCodes: change.recoveryCodeHashes.map((hash) => ({ hash, usedAt: null })),
      reset: null,
    };
    return this.write(
      { _id: userId, 'twoFactor.enabledAt': null, 'twoFactor.pendingSecret': secret.pending },
      { $set: { twoFactor }, ...VOID_RESET_LINKS },
      events,
    );
  }

  /** Turns two-factor off, spending the code's time step; false if it is off already or the step was used. */
  async disable(userId: string, timeStep: number, events: AnyCloudEvent[]): Promise<boolean> {
    return this.write(
      { _id: userId, ...isOn, ...stepAfterLast(timeStep) },
      { $set: { twoFactor: { ...OFF, lastTimeStep: timeStep }, mfaChallenges: [] }, ...VOID_RESET_LINKS },
      events,
    );
  }

  /**
   * Turns two-factor off without a code, for an admin acting on the owner's request: secret,
   * recovery codes, open challenges and any pending reset go. False when it is off already.
   */
  async resetByAdmin(userId: string, events: AnyCloudEvent[]): Promise<boolean> {
    return this.write({ _id: userId, ...isOn }, { $set: { twoFactor: OFF, mfaChallenges: [] }, ...VOID_RESET_LINKS }, events);
  }

  /**
   * Turns two-factor off, pending setup included, on an account whose address is still unverified:
   * any two-factor there was set up before anyone proved they hold the mailbox (setup now needs a
   * verified address), so it may be a squatter's. False when there was nothing to clear.
   */
  async clearOnUnverified(userId: string, events: AnyCloudEvent[]): Promise<boolean> {
    return this.write(
      { _id: userId, emailVerifiedAt: null, $or: [isOn, { 'twoFactor.pendingSecret': { $ne: null } }] },
      { $set: { twoFactor: OFF, mfaChallenges: [] }, ...VOID_RESET_LINKS },
      events,
    );
  }

  // --- reset: for an owner who lost both the authenticator and the recovery codes ---

  /**
   * Spends a challenge on asking for a reset instead of a code, so each correct password sends at
   * most one link. False when the challenge is closed (used, expired, out of attempts) or two-factor is off.
   */
  async spendChallenge(userId: string, hash: string, now: Date, maxAttempts: number): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, ...isOn, ...openChallenge(hash, now, maxAttempts) },
      { $set: { 'mfaChallenges.$[challenge].usedAt': now } },
      { arrayFilters: [{ 'challenge.hash': hash }] },
    );
    return result.modifiedCount === 1;
  }

  async findByResetToken(hash: string): Promise<ResetTokenAccount | null> {
    const doc = await this.users
      .findOne({ tokens: { $elemMatch: { hash, purpose: 'two-factor-reset' } } }, { ...SUMMARY, twoFactor: 1, tokens: 1 })
      .lean();
    if (!doc) return null;
    return {
      user: toSummary(doc),
      twoFactor: stateOf(doc.twoFactor),
      token: doc.tokens.find((t) => t.hash === hash && t.purpose === 'two-factor-reset'),
    };
  }

  /**
   * Spends the link and starts the clock in one write, only while two-factor is on and no reset is
   * pending: a second link (or a replay racing the first) can neither restart nor shorten a delay.
   */
  async scheduleReset(userId: string, hash: string, reset: PendingReset, events: AnyCloudEvent[]): Promise<boolean> {
    return this.write(
      { _id: userId, ...isOn, 'twoFactor.reset': null, ...openResetToken(hash, reset.confirmedAt) },
      { $set: { 'tokens.$[link].usedAt': reset.confirmedAt, 'twoFactor.reset': reset } },
      events,
      { arrayFilters: [{ 'link.hash': hash }] },
    );
  }

  /** Spends a link confirmed while a reset is already pending, leaving that reset's time as it is. */
  async spendResetToken(userId: string, hash: string, now: Date): Promise<boolean> {
    return this.write(
      { _id: userId, ...isOn, 'twoFactor.reset': { $ne: null }, ...openResetToken(hash, now) },
      { $set: { 'tokens.$[link].usedAt': now } },
      [],
      { arrayFilters: [{ 'link.hash': hash }] },
    );
  }

  /** Clears the pending reset; false when none was pending. */
  async cancelReset(userId: string, events: AnyCloudEvent[]): Promise<boolean> {
    return this.write({ _id: userId, 'twoFactor.reset': { $ne: null } }, { $set: { 'twoFactor.reset': null } }, events);
  }

  /**
   * Turns two-factor off if its reset is due, in one conditional write: a reset cancelled (or
   * two-factor turned off and on again) a moment before is not carried out. False otherwise.
   */
  async completeDueReset(userId: string, now: Date, events: AnyCloudEvent[]): Promise<boolean> {
    return this.write(
      { _id: userId, ...isOn, 'twoFactor.reset.effectiveAt': { $lte: now } },
      { $set: { twoFactor: OFF, mfaChallenges: [] }, ...VOID_RESET_LINKS },
      events,
    );
  }

  /** The sign-in gate of an account known by id (a password sign-in reads it with the credentials). */
  async signInGate(userId: string): Promise<SignInGate> {
    return signInGateOf(await this.users.findById(userId, SIGN_IN_GATE).lean());
  }

  async replaceRecoveryCodes(userId: string, timeStep: number, hashes: string[], events: AnyCloudEvent[]): Promise<boolean> {
    return this.write(
      { _id: userId, ...isOn, ...stepAfterLast(timeStep) },
      { $set: { 'twoFactor.recoveryCodes': hashes.map((hash) => ({ hash, usedAt: null })), 'twoFactor.lastTimeStep': timeStep } },
      events,
    );
  }

  /** Spends a code's time step for an action that changes nothing else here; false when it was spent meanwhile. */
  async spendTimeStep(userId: string, timeStep: number): Promise<boolean> {
    return this.write({ _id: userId, ...isOn, ...stepAfterLast(timeStep) }, { $set: { 'twoFactor.lastTimeStep': timeStep } }, []);
  }

  async addChallenge(userId: string, challenge: MfaChallenge): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $push: { mfaChallenges: { $each: [challenge], $slice: -KEPT_CHALLENGES } } });
  }

  async findByChallenge(hash: string): Promise<ChallengedAccount | null> {
    const doc = await this.users.findOne({ 'mfaChallenges.hash': hash }, { ...SUMMARY, twoFactor: 1, mfaChallenges: 1 }).lean();
    if (!doc) return null;
    return { user: toSummary(doc), twoFactor: stateOf(doc.twoFactor), challenge: doc.mfaChallenges?.find((c) => c.hash === hash) };
  }

  /**
   * Counts an attempt before the code is checked: the limit holds however many guesses arrive at
   * once, as each must win this conditional increment first. False when the challenge is closed.
   */
  async takeAttempt(userId: string, hash: string, now: Date, maxAttempts: number): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, ...openChallenge(hash, now, maxAttempts) },
      { $inc: { 'mfaChallenges.$[challenge].attempts': 1 } },
      { arrayFilters: [{ 'challenge.hash': hash }] },
    );
    return result.modifiedCount === 1;
  }

  /**
   * Closes the challenge with a TOTP code of this step; false if the step (or the challenge) was used
   * meanwhile. `reseal` replaces an old-format secret with one sealed for this account, only if the
   * secret is still the one the code was checked against.
   */
  async passWithTotp(userId: string, hash: string, timeStep: number, now: Date, reseal?: { from: string; to: string }): Promise<boolean> {
    const result = await this.users.updateOne(
      {
        _id: userId,
        ...isOn,
        ...stepAfterLast(timeStep),
        mfaChallenges: { $elemMatch: { hash, usedAt: null, expiresAt: { $gt: now } } },
        ...(reseal ? { 'twoFactor.secret': reseal.from } : {}),
      },
      {
        $set: {
          'mfaChallenges.$[challenge].usedAt': now,
          'twoFactor.lastTimeStep': timeStep,
          ...(reseal ? { 'twoFactor.secret': reseal.to } : {}),
        },
      },
      { arrayFilters: [{ 'challenge.hash': hash }] },
    );
    return result.modifiedCount === 1;
  }

  /** Closes the challenge with a passkey the caller verified; false if the challenge was used meanwhile. */
  async passWithPasskey(userId: string, hash: string, now: Date): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, ...isOn, mfaChallenges: { $elemMatch: { hash, usedAt: null, expiresAt: { $gt: now } } } },
      { $set: { 'mfaChallenges.$[challenge].usedAt': now } },
      { arrayFilters: [{ 'challenge.hash': hash }] },
    );
    return result.modifiedCount === 1;
  }

  /** Closes the challenge and spends the recovery code in one write; false if either was used meanwhile. */
  async passWithRecoveryCode(userId: string, hash: string, codeHash: string, now: Date): Promise<boolean> {
    const result = await this.users.updateOne(
      {
        _id: userId,
        ...isOn,
        'twoFactor.recoveryCodes': { $elemMatch: { hash: codeHash, usedAt: null } },
        mfaChallenges: { $elemMatch: { hash, usedAt: null, expiresAt: { $gt: now } } },
      },
      { $set: { 'mfaChallenges.$[challenge].usedAt': now, 'twoFactor.recoveryCodes.$[code].usedAt': now } },
      { arrayFilters: [{ 'challenge.hash': hash }, { 'code.hash': codeHash }] },
    );
    return result.modifiedCount === 1;
  }

  private async write(
    filter: FilterQuery<UserDocument>,
    update: Record<string, unknown>,
    events: AnyCloudEvent[],
    options: { arrayFilters?: Record<string, unknown>[] } = {},
  ): Promise<boolean> {
    const result = await this.users.updateOne(
      filter,
      {
        ...update,
        ...(events.length > 0 ? { $push: { outbox: { $each: accountEntries(this.outbox, String(filter._id), events) } } } : {}),
      },
      options,
    );
    if (result.modifiedCount !== 1) return false;
    if (events.length > 0) this.outbox.written(this.users.collection, String(filter._id));
    return true;
  }
}
