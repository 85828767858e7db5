import type { FilterQuery, Model } from 'mongoose';
import { DEFAULT_LOCALE, Locale, type AnyCloudEvent } from '@solar/contracts';
import { AppError, escapeRegExp, type OutboxWriter } from '@solar/chassis';
import { TOKEN_PATTERN, hashToken, refusalOf, type StoredToken, type TokenPurpose } from '../tokens/one-time-token';
import { SIGN_IN_GATE, signInGateOf, type SignInGate } from '../two-factor/sign-in-gate';
import { accountEntries } from '../user-state/user-state';
import type { PendingDeletion, Role, UserDocument } from './user.model';

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  roles: Role[];
  locale: Locale;
  token: StoredToken;
}

export interface UserSummary {
  id: string;
  email: string;
  roles: Role[];
  displayName: string | null;
  /** The language of every email the account gets. */
  locale: Locale;
  emailVerifiedAt: Date | null;
  createdAt: Date;
  /** The pending deletion, if any. */
  deletion: PendingDeletion | null;
  /** A sign-in found the password breached, and it has not been changed since. */
  passwordBreached: boolean;
  /** An admin disabled the account: its sign-ins are refused. */
  disabled: boolean;
}

/** What a redemption changes besides spending the token, built from the token's owner and the token. */
export type Redemption = (
  user: UserSummary,
  token: StoredToken,
) => {
  set?: Partial<Pick<UserDocument, 'email' | 'emailVerifiedAt' | 'passwordHash' | 'passwordChangedAt' | 'passwordBreachedAt'>>;
  /** Roles added in the same write, so a role that depends on the redemption lands with it or not at all. */
  grant?: Role[];
  events: AnyCloudEvent[];
};

const DUPLICATE_KEY = 11_000;
export const SUMMARY = {
  email: 1,
  roles: 1,
  displayName: 1,
  locale: 1,
  emailVerifiedAt: 1,
  createdAt: 1,
  deletion: 1,
  passwordBreachedAt: 1,
  disabledAt: 1,
} as const;

type SummaryFields = Pick<UserDocument, '_id' | 'email' | 'roles' | 'displayName' | 'emailVerifiedAt' | 'createdAt'> &
  Partial<Pick<UserDocument, 'deletion' | 'locale' | 'passwordBreachedAt' | 'disabledAt'>>;

export const toSummary = (doc: SummaryFields): UserSummary => ({
  id: doc._id,
  email: doc.email,
  roles: doc.roles,
  displayName: doc.displayName ?? null,
  locale: localeOf(doc),
  emailVerifiedAt: doc.emailVerifiedAt ?? null,
  createdAt: doc.createdAt,
  deletion: doc.deletion ?? null,
  passwordBreached: Boolean(doc.passwordBreachedAt),
  disabled: Boolean(doc.disabledAt),
});

/** An account created before locales existed has none stored, and one written by hand may hold anything: both read as English. */
export const localeOf = (doc: { locale?: unknown }): Locale => {
  const parsed = Locale.safeParse(doc.locale);
  return parsed.success ? parsed.data : DEFAULT_LOCALE;
};

/**
 * The only code that touches the users collection. Every state change is written together with the
 * events that announce it (one document write), then handed to the relay to publish.
 */
/** Reset tokens an account keeps: enough for a few retries, not a pile of live links. */
const KEPT_RESET_TOKENS = 3;
/** A new email change replaces the pending one: only the newest address asked for can be confirmed. */
const KEPT_TOKENS: Partial<Record<TokenPurpose, number>> = { 'email-change': 1 };

export class UserRepository {
  private readonly clock: () => Date;

  constructor(
    private readonly users: Model<UserDocument>,
    private readonly outbox: OutboxWriter,
  ) {
    this.clock = outbox.clock;
  }

  async findByEmail(email: string): Promise<UserSummary | null> {
    const doc = await this.users.findOne({ email }, SUMMARY).lean();
    return doc ? toSummary(doc) : null;
  }

  /**
   * The account that holds an address: as its own, or as the one a live undo link would restore.
   * The second keeps an address an email change left from being taken before its owner can undo
   * the change. The summary's `email` is the address asked about: that is where its holder is reached.
   */
  async findHolder(email: string): Promise<UserSummary | null> {
    const now = this.clock();
    const reserved = { tokens: { $elemMatch: { purpose: 'email-change-undo', email, usedAt: null, expiresAt: { $gt: now } } } };
    const doc = await this.users.findOne({ $or: [{ email }, reserved] }, SUMMARY).lean();
    return doc ? { ...toSummary(doc), email } : null;
  }

  async findById(id: string): Promise<UserSummary | null> {
    const doc = await this.users.findById(id, SUMMARY).lean();
    return doc ? toSummary(doc) : null;
  }

  /** What a password sign-in reads, in one find: the account, its hash, and its two-factor gate. */
  async findCredentials(email: string): Promise<{ user: UserSummary; passwordHash: string; gate: SignInGate } | null> {
    const doc = await this.users.findOne({ email }, { ...SUMMARY, ...SIGN_IN_GATE, passwordHash: 1 }).lean();
    return doc ? { user: toSummary(doc), passwordHash: doc.passwordHash, gate: signInGateOf(doc) } : null;
  }

  async passwordHashOf(id: string): Promise<string | null> {
    const doc = await this.users.findById(id, { passwordHash: 1 }).lean();
    return doc?.passwordHash ?? null;
  }

  /** Resolves 'duplicate' when the address is taken, including by a concurrent registration. */
  async create(user: NewUser, events: AnyCloudEvent[]): Promise<'created' | 'duplicate'> {
    try {
      await this.users.create({
        _id: user.id,
        email: user.email,
        passwordHash: user.passwordHash,
        roles: user.roles,
        locale: user.locale,
        tokens: [user.token],
        // The injected clock, not mongoose's: the cleanups compare registration times against it.
        createdAt: this.clock(),
        outbox: accountEntries(this.outbox, user.id, events),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return 'duplicate';
      throw error;
    }
    this.outbox.written(this.users.collection, user.id);
    return 'created';
  }

  async announce(userId: string, events: AnyCloudEvent[]): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $push: { outbox: { $each: this.outbox.entries(events) } } });
    this.outbox.written(this.users.collection, userId);
  }

  /**
   * Stores a new one-time token together with the email request that carries it. Reset tokens (of
   * the password, of two-factor) are kept to the newest KEPT_RESET_TOKENS of their purpose: every
   * request added one, and they piled up on the account document, each a live way in until it expired.
   */
  async addToken(userId: string, token: StoredToken, events: AnyCloudEvent[]): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $push: { tokens: token, outbox: { $each: this.outbox.entries(events) } } });
    this.outbox.written(this.users.collection, userId);
    if (token.purpose !== 'verify-email') await this.dropOldResetTokens(userId, token.purpose);
  }

  /** A second write, as one cannot $push to and $pull from an array at once; a race may leave one extra until the next request. */
  private async dropOldResetTokens(userId: string, purpose: TokenPurpose): Promise<void> {
    const doc = await this.users.findById(userId, { tokens: 1 }).lean();
    const dropped = (doc?.tokens ?? [])
      .filter((t) => t.purpose === purpose)
      // $push appends, so the array is in the order of issue (createdAt can tie under a fixed clock).
      .slice(0, -(KEPT_TOKENS[purpose] ?? KEPT_RESET_TOKENS))
      .map((t) => t.hash);
    if (dropped.length > 0) {
      await this.users.updateOne({ _id: userId }, { $pull: { tokens: { purpose, hash: { $in: dropped } } } });
    }
  }

  /**
   * After a password reset or change: every reset link not yet used (of the password or of
   * two-factor), any pending email change, every open two-step sign-in challenge and any pending two-factor reset stop
   * working, so none obtained with the old password or a stolen mailbox's links outlives the change.
   * Spent tokens stay, to answer token_used. Resolves whether a two-factor reset was pending.
   */
  async voidOutstandingProofs(userId: string): Promise<{ twoFactorResetCancelled: boolean }> {
    const before = await this.users
      .findOneAndUpdate(
        { _id: userId },
        {
          $pull: { tokens: { purpose: { $in: ['password-reset', 'two-factor-reset', 'email-change'] }, usedAt: null } },
          $unset: { mfaChallenges: 1, 'twoFactor.reset': 1 },
        },
        { new: false, projection: { 'twoFactor.reset': 1 } },
      )
      .lean();
    return { twoFactorResetCancelled: Boolean(before?.twoFactor?.reset) };
  }

  /**
   * Spends a one-time token and applies its change in one conditional update: the token must still
   * be unused and unexpired at the moment of the write, so of any number of concurrent redemptions
   * exactly one succeeds, and a change is never recorded without its events.
   */
  async redeemToken(purpose: TokenPurpose, presented: string, redemption: Redemption): Promise<UserSummary> {
    if (!TOKEN_PATTERN.test(presented)) throw tokenError('token_malformed');
    const now = this.clock();
    const hash = hashToken(presented);
    const doc = await this.users.findOne({ tokens: { $elemMatch: { hash, purpose } } }, { ...SUMMARY, tokens: 1 }).lean();
    const token = doc?.tokens.find((t) => t.hash === hash && t.purpose === purpose);
    const refusal = refusalOf(presented, token, now);
    if (refusal || !doc || !token) throw tokenError(refusal ?? 'token_invalid');

    const user = toSummary(doc);
    const { set = {}, grant = [], events } = redemption(user, token);
    // The filter makes the check and the spend one atomic step; arrayFilters picks the element to mark
    // (the positional `$` is not understood alike by MongoDB and the Mongo-wire server used locally).
    const result = await this.users
      .updateOne(
        { _id: user.id, tokens: { $elemMatch: { hash, purpose, usedAt: null, expiresAt: { $gt: now } } } },
        {
          $set: { 'tokens.$[spent].usedAt': now, ...set },
          $push: { outbox: { $each: accountEntries(this.outbox, user.id, events) } },
          ...(grant.length > 0 ? { $addToSet: { roles: { $each: grant } } } : {}),
        },
        { arrayFilters: [{ 'spent.hash': hash }] },
      )
      .catch((error: unknown) => {
        // Only an address change can collide: another account took the address since the link was sent.
        if ((error as { code?: unknown }).code === DUPLICATE_KEY) {
          throw new AppError('conflict', 'The address now belongs to another account', { reason: 'email_taken' });
        }
        throw error;
      });
    if (result.modifiedCount !== 1) throw tokenError('token_used');
    this.outbox.written(this.users.collection, user.id);
    return {
      ...user,
      ...(set.email ? { email: set.email } : {}),
      ...(set.emailVerifiedAt ? { emailVerifiedAt: set.emailVerifiedAt } : {}),
      roles: [...new Set([...user.roles, ...grant])],
    };
  }

  /**
   * Sets a new password hash on condition that the stored one is still the one the caller verified: of two concurrent
   * changes from the same old password only one lands. False when the hash had changed meanwhile.
   */
  async replacePassword(userId: string, expectedHash: string, passwordHash: string, events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, passwordHash: expectedHash },
      {
        $set: { passwordHash, passwordChangedAt: this.clock(), passwordBreachedAt: null },
        $push: { outbox: { $each: this.outbox.entries(events) } },
      },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  /**
   * Flags the account's password as breached. The owner's email is queued in the same write only
   * when none went out within `interval`, so signing in again and again does not flood the inbox.
   * Resolves whether the email was queued.
   */
  async flagBreachedPassword(userId: string, interval: number, events: AnyCloudEvent[]): Promise<boolean> {
    const now = this.clock();
    const noticeDue = { $or: [{ breachNoticeSentAt: null }, { breachNoticeSentAt: { $lte: new Date(now.getTime() - interval) } }] };
    const notified = await this.users.updateOne(
      { _id: userId, ...noticeDue },
      { $set: { passwordBreachedAt: now, breachNoticeSentAt: now }, $push: { outbox: { $each: this.outbox.entries(events) } } },
    );
    if (notified.modifiedCount === 1) {
      this.outbox.written(this.users.collection, userId);
      return true;
    }
    await this.users.updateOne({ _id: userId, passwordBreachedAt: null }, { $set: { passwordBreachedAt: now } });
    return false;
  }

  /** Sets the fields given (an absent one stays as it is); resolves the updated account, or null when it no longer exists. */
  async updateProfile(
    userId: string,
    changes: { displayName?: string | null; locale?: Locale },
    events: AnyCloudEvent[],
  ): Promise<UserSummary | null> {
    const doc = await this.users
      .findOneAndUpdate(
        { _id: userId },
        { $set: changes, $push: { outbox: { $each: accountEntries(this.outbox, userId, events) } } },
        { new: true, projection: SUMMARY },
      )
      .lean();
    if (!doc) return null;
    this.outbox.written(this.users.collection, userId);
    return toSummary(doc);
  }

  /**
   * Newest accounts first, `limit` rows from after `after` (keyset on createdAt, then _id). The search
   * text is matched literally: it is escaped before it becomes a pattern, so it cannot inject
   * regex syntax or a catastrophic pattern. A substring match scans the collection; fine at admin scale.
   */
  async listNewestFirst(query: { emailContains?: string; after?: { at: Date; id: string }; limit: number }): Promise<UserSummary[]> {
    const conditions: FilterQuery<UserDocument>[] = [];
    if (query.emailContains) conditions.push({ email: { $regex: escapeRegExp(query.emailContains), $options: 'i' } });
    if (query.after) {
      conditions.push({ $or: [{ createdAt: { $lt: query.after.at } }, { createdAt: query.after.at, _id: { $lt: query.after.id } }] });
    }
    const docs = await this.users
      .find(conditions.length > 0 ? { $and: conditions } : {}, SUMMARY)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit)
      .lean();
    return docs.map(toSummary);
  }

  /**
   * Replaces the roles if they are still `from`: resolves whether they changed. Conditional on the
   * roles read before, so the event's list of roles afterwards is true even with two admins at work.
   */
  async replaceRoles(userId: string, from: Role[], to: Role[], events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, roles: from },
      { $set: { roles: to }, $push: { outbox: { $each: accountEntries(this.outbox, userId, events) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  // --- deletion: every step is a conditional single-document write, so replicas and retries agree ---

  /** Marks the account pending; resolves the deletion that is pending afterwards and whether it is this one. */
  async requestDeletion(userId: string, deletion: PendingDeletion, events: AnyCloudEvent[]): Promise<PendingDeletion | null> {
    const result = await this.users.updateOne(
      { _id: userId, deletion: null },
      { $set: { deletion }, $push: { outbox: { $each: accountEntries(this.outbox, userId, events) } } },
    );
    if (result.modifiedCount === 1) {
      this.outbox.written(this.users.collection, userId);
      return deletion;
    }
    return (await this.findById(userId))?.deletion ?? null;
  }

  /** Clears this pending deletion unless its purge has begun; false when it is no longer there to cancel. */
  async cancelDeletion(userId: string, requestId: string, events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, 'deletion.requestId': requestId, 'deletion.purgeStartedAt': null },
      { $set: { deletion: null }, $push: { outbox: { $each: accountEntries(this.outbox, userId, events) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  /**
   * Records a completed sign-in unless the account is disabled, in the same conditional write: resolves
   * the deletion that was pending at that moment, 'disabled', or null when the account is gone.
   */
  async recordSignIn(userId: string, at: Date): Promise<{ deletion: PendingDeletion | null } | 'disabled' | null> {
    const before = await this.users
      .findOneAndUpdate(
        { _id: userId, disabledAt: null },
        { $set: { lastSignInAt: at, inactivityWarnedAt: null } },
        { new: false, projection: { deletion: 1 } },
      )
      .lean();
    if (before) return { deletion: before.deletion ?? null };
    return (await this.users.exists({ _id: userId })) ? 'disabled' : null;
  }

  /**
   * Disables (at `at`) or enables the account, with the events that announce it; false when it already
   * was so, is gone, or (disabling) its purge has begun.
   */
  async setDisabled(userId: string, at: Date | null, events: AnyCloudEvent[]): Promise<boolean> {
    const filter = at ? { _id: userId, disabledAt: null, 'deletion.purgeStartedAt': null } : { _id: userId, disabledAt: { $ne: null } };
    const result = await this.users.updateOne(filter, {
      $set: { disabledAt: at },
      $push: { outbox: { $each: accountEntries(this.outbox, userId, events) } },
    });
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  /** Admins besides this account who can still act: verified, not disabled, not being purged. */
  async otherActiveAdmins(userId: string): Promise<number> {
    return this.users.countDocuments({
      _id: { $ne: userId },
      roles: 'admin',
      emailVerifiedAt: { $ne: null },
      disabledAt: null,
      'deletion.purgeStartedAt': null,
    });
  }

  /**
   * Replaces any deletion not yet under way with one due now (an admin's deletion skips the grace
   * period); false when the account is gone or its purge has begun.
   */
  async requestImmediateDeletion(userId: string, deletion: PendingDeletion, events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, 'deletion.purgeStartedAt': null },
      { $set: { deletion }, $push: { outbox: { $each: accountEntries(this.outbox, userId, events) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  /**
   * The purge's first step: the request must still be pending and due. Resolves the account when the
   * purge starts now or had started before (a crash or a second replica), null when it must not happen.
   */
  async startPurge(
    userId: string,
    requestId: string,
    now: Date,
  ): Promise<{ id: string; email: string; locale: Locale; deletion: PendingDeletion } | null> {
    await this.users.updateOne(
      { _id: userId, 'deletion.requestId': requestId, 'deletion.purgeAt': { $lte: now }, 'deletion.purgeStartedAt': null },
      { $set: { 'deletion.purgeStartedAt': now } },
    );
    const doc = await this.users.findOne({ _id: userId, 'deletion.requestId': requestId }, { email: 1, locale: 1, deletion: 1 }).lean();
    if (!doc?.deletion?.purgeStartedAt) return null;
    return { id: doc._id, email: doc.email, locale: localeOf(doc), deletion: doc.deletion };
  }

  /** The purge's last step: the account document goes, with its tokens and any second factor. */
  async removePurged(userId: string, requestId: string): Promise<void> {
    await this.users.deleteOne({ _id: userId, 'deletion.requestId': requestId, 'deletion.purgeStartedAt': { $ne: null } });
  }

  /** Claims an unverified account for removal, unless it was verified, or claimed, meanwhile. */
  async claimUnverified(userId: string, registeredBefore: Date, deletion: PendingDeletion): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, emailVerifiedAt: null, createdAt: { $lt: registeredBefore }, deletion: null },
      { $set: { deletion }, $push: { outbox: { $each: accountEntries(this.outbox, userId, []) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  // --- maintenance scans: keyset pages on _id, so a task over many accounts never holds a cursor open ---

  async unverifiedBefore(registeredBefore: Date, afterId: string, limit: number): Promise<string[]> {
    const docs = await this.users
      .find({ emailVerifiedAt: null, createdAt: { $lt: registeredBefore }, deletion: null, _id: { $gt: afterId } }, { _id: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => doc._id);
  }

  /** Accounts that are not being purged, a keyset page on _id. */
  async liveAfter(afterId: string, limit: number): Promise<string[]> {
    const docs = await this.users
      .find({ _id: { $gt: afterId }, 'deletion.purgeStartedAt': null }, { _id: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => doc._id);
  }

  /**
   * Queues a fresh state snapshot on each account (the republish command): the same outbox entry every
   * change writes, so the snapshot is published in order with the account's events. An account whose
   * purge began meanwhile gets none, so nothing follows its tombstone.
   */
  async announceState(userIds: string[]): Promise<void> {
    if (userIds.length === 0) return;
    await this.users.bulkWrite(
      userIds.map((userId) => ({
        updateOne: {
          filter: { _id: userId, 'deletion.purgeStartedAt': null },
          update: { $push: { outbox: { $each: accountEntries(this.outbox, userId, []) } } },
        },
      })),
      { ordered: false },
    );
  }

  /** Purges begun and not finished (a crash or a stop between the first and the last step), or under way right now. */
  async stalledPurges(limit: number): Promise<{ id: string; requestId: string }[]> {
    const docs = await this.users
      .find({ 'deletion.purgeStartedAt': { $ne: null } }, { deletion: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    return docs.flatMap((doc) => (doc.deletion ? [{ id: doc._id, requestId: doc.deletion.requestId }] : []));
  }

  /** Removes one-time tokens past their expiry from a page of accounts; resolves the page's size and last id, or null at the end. */
  async pullExpiredTokens(now: Date, afterId: string, limit: number): Promise<{ accounts: number; lastId: string } | null> {
    const docs = await this.users
      .find({ 'tokens.expiresAt': { $lte: now }, _id: { $gt: afterId } }, { _id: 1 })
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    if (docs.length === 0) return null;
    await this.users.updateMany({ _id: { $in: docs.map((doc) => doc._id) } }, { $pull: { tokens: { expiresAt: { $lte: now } } } });
    return { accounts: docs.length, lastId: docs.at(-1)!._id };
  }

  /**
   * A page of verified accounts with no pending deletion whose last sign-in (or registration, for an
   * account never signed into) is before `before`: not yet warned, or warned no later than `warnedBefore`.
   */
  async inactive(
    query: { before: Date; warned: false } | { before: Date; warned: true; warnedBefore: Date },
    afterId: string,
    limit: number,
  ): Promise<{ id: string; email: string; locale: Locale }[]> {
    const docs = await this.users
      .find(
        {
          ...inactiveFilter(query.before),
          inactivityWarnedAt: query.warned ? { $ne: null, $lte: query.warnedBefore } : null,
          _id: { $gt: afterId },
        },
        { email: 1, locale: 1 },
      )
      .sort({ _id: 1 })
      .limit(limit)
      .lean();
    return docs.map((doc) => ({ id: doc._id, email: doc.email, locale: localeOf(doc) }));
  }

  /** Records the inactivity warning with its email, unless the owner signed in or was warned meanwhile. */
  async warnInactive(userId: string, before: Date, now: Date, events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, ...inactiveFilter(before), inactivityWarnedAt: null },
      { $set: { inactivityWarnedAt: now }, $push: { outbox: { $each: this.outbox.entries(events, now) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  /** Turns a warning that went unanswered into a deletion request, unless the owner signed in meanwhile. */
  async requestInactivityDeletion(
    userId: string,
    warnedBefore: Date,
    deletion: PendingDeletion,
    events: AnyCloudEvent[],
  ): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, deletion: null, inactivityWarnedAt: { $ne: null, $lte: warnedBefore } },
      { $set: { deletion }, $push: { outbox: { $each: accountEntries(this.outbox, userId, events) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }
}

const TOKEN_MESSAGES = {
  token_malformed: 'The token is not in the format we issue',
  token_invalid: 'The token is not valid',
  token_expired: 'The token has expired; ask for a new one',
  token_used: 'The token has already been used',
} as const;

export function tokenError(code: keyof typeof TOKEN_MESSAGES): AppError {
  return new AppError(code, TOKEN_MESSAGES[code]);
}

/** Verified, nothing pending, and no sign-in since `before` (registered before it, if never signed into). */
function inactiveFilter(before: Date): FilterQuery<UserDocument> {
  return {
    emailVerifiedAt: { $ne: null },
    deletion: null,
    $or: [{ lastSignInAt: { $lt: before } }, { lastSignInAt: null, createdAt: { $lt: before } }],
  };
}
