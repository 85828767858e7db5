import type { FilterQuery, Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import { AppError, type OutboxWriter } from '@solar/chassis';
import { TOKEN_PATTERN, hashToken, refusalOf, type StoredToken, type TokenPurpose } from '../tokens/one-time-token';
import type { Role, UserDocument } from './user.model';

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  roles: Role[];
  token: StoredToken;
}

export interface UserSummary {
  id: string;
  email: string;
  roles: Role[];
  displayName: string | null;
  emailVerifiedAt: Date | null;
  createdAt: Date;
}

/** What a redemption changes besides spending the token, built from the token's owner. */
export type Redemption = (user: UserSummary) => {
  set?: Partial<Pick<UserDocument, 'emailVerifiedAt' | 'passwordHash' | 'passwordChangedAt'>>;
  events: AnyCloudEvent[];
};

const DUPLICATE_KEY = 11_000;
export const SUMMARY = { email: 1, roles: 1, displayName: 1, emailVerifiedAt: 1, createdAt: 1 } as const;

type SummaryFields = Pick<UserDocument, '_id' | 'email' | 'roles' | 'displayName' | 'emailVerifiedAt' | 'createdAt'>;

export const toSummary = (doc: SummaryFields): UserSummary => ({
  id: doc._id,
  email: doc.email,
  roles: doc.roles,
  displayName: doc.displayName ?? null,
  emailVerifiedAt: doc.emailVerifiedAt ?? null,
  createdAt: doc.createdAt,
});

/**
 * The only code that touches the users collection. Every state change is written together with the
 * events that announce it (one document write), then handed to the relay to publish.
 */
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

  async findById(id: string): Promise<UserSummary | null> {
    const doc = await this.users.findById(id, SUMMARY).lean();
    return doc ? toSummary(doc) : null;
  }

  async findCredentials(email: string): Promise<{ user: UserSummary; passwordHash: string } | null> {
    const doc = await this.users.findOne({ email }, { ...SUMMARY, passwordHash: 1 }).lean();
    return doc ? { user: toSummary(doc), passwordHash: doc.passwordHash } : null;
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
        tokens: [user.token],
        outbox: this.outbox.entries(events),
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

  /** Stores a new one-time token together with the email request that carries it. */
  async addToken(userId: string, token: StoredToken, events: AnyCloudEvent[]): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $push: { tokens: token, outbox: { $each: this.outbox.entries(events) } } });
    this.outbox.written(this.users.collection, userId);
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
    const refusal = refusalOf(
      presented,
      doc?.tokens.find((t) => t.hash === hash && t.purpose === purpose),
      now,
    );
    if (refusal || !doc) throw tokenError(refusal ?? 'token_invalid');

    const user = toSummary(doc);
    const { set = {}, events } = redemption(user);
    // The filter makes the check and the spend one atomic step; arrayFilters picks the element to mark
    // (the positional `$` is not understood alike by MongoDB and the Mongo-wire server used locally).
    const result = await this.users.updateOne(
      { _id: user.id, tokens: { $elemMatch: { hash, purpose, usedAt: null, expiresAt: { $gt: now } } } },
      { $set: { 'tokens.$[spent].usedAt': now, ...set }, $push: { outbox: { $each: this.outbox.entries(events) } } },
      { arrayFilters: [{ 'spent.hash': hash }] },
    );
    if (result.modifiedCount !== 1) throw tokenError('token_used');
    this.outbox.written(this.users.collection, user.id);
    return { ...user, ...(set.emailVerifiedAt ? { emailVerifiedAt: set.emailVerifiedAt } : {}) };
  }

  /**
   * Sets a new password hash on condition that the stored one is still the one the caller verified: of two concurrent
   * changes from the same old password only one lands. False when the hash had changed meanwhile.
   */
  async replacePassword(userId: string, expectedHash: string, passwordHash: string, events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.users.updateOne(
      { _id: userId, passwordHash: expectedHash },
      { $set: { passwordHash, passwordChangedAt: this.clock() }, $push: { outbox: { $each: this.outbox.entries(events) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.users.collection, userId);
    return true;
  }

  /** Resolves the updated account, or null when it no longer exists. */
  async setDisplayName(userId: string, displayName: string | null): Promise<UserSummary | null> {
    const doc = await this.users.findOneAndUpdate({ _id: userId }, { $set: { displayName } }, { new: true, projection: SUMMARY }).lean();
    return doc ? toSummary(doc) : null;
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
   * Adds or removes a role; resolves whether anything changed. The role condition sits in the filter
   * because `timestamps` would otherwise count an $addToSet no-op as a modification.
   */
  async setRole(userId: string, role: Role, present: boolean): Promise<boolean> {
    const result = present
      ? await this.users.updateOne({ _id: userId, roles: { $ne: role } }, { $addToSet: { roles: role } })
      : await this.users.updateOne({ _id: userId, roles: role }, { $pull: { roles: role } });
    return result.modifiedCount === 1;
  }
}

const TOKEN_MESSAGES = {
  token_malformed: 'The token is not in the format we issue',
  token_invalid: 'The token is not valid',
  token_expired: 'The token has expired; ask for a new one',
  token_used: 'The token has already been used',
} as const;

function tokenError(code: keyof typeof TOKEN_MESSAGES): AppError {
  return new AppError(code, TOKEN_MESSAGES[code]);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
