import type { Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import { outboxEntryOf, type OutboxRelay, type Sealer } from '@solar/chassis';
import type { UserDocument } from './user.model';

export interface NewUser {
  id: string;
  email: string;
  passwordHash: string;
  verification: { tokenHash: string; expiresAt: Date };
}

export interface UserSummary {
  id: string;
  email: string;
  emailVerifiedAt: Date | null;
}

const DUPLICATE_KEY = 11_000;

/**
 * The only code that touches the users collection. Every state change is written together with the
 * events that announce it (one document write), then handed to the relay to publish.
 */
export class UserRepository {
  constructor(
    private readonly users: Model<UserDocument>,
    private readonly relay: OutboxRelay,
    private readonly sealer: Sealer,
    private readonly clock: () => Date,
  ) {}

  async findByEmail(email: string): Promise<UserSummary | null> {
    const doc = await this.users.findOne({ email }, { email: 1, emailVerifiedAt: 1 }).lean();
    return doc ? { id: doc._id, email: doc.email, emailVerifiedAt: doc.emailVerifiedAt } : null;
  }

  /** Resolves 'duplicate' when the address is taken, including by a concurrent registration. */
  async create(user: NewUser, events: AnyCloudEvent[]): Promise<'created' | 'duplicate'> {
    try {
      await this.users.create({
        _id: user.id,
        email: user.email,
        passwordHash: user.passwordHash,
        verification: user.verification,
        outbox: this.outbox(events),
      });
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return 'duplicate';
      throw error;
    }
    this.relay.kick(this.users.collection, user.id);
    return 'created';
  }

  async announce(userId: string, events: AnyCloudEvent[]): Promise<void> {
    await this.users.updateOne({ _id: userId }, { $push: { outbox: { $each: this.outbox(events) } } });
    this.relay.kick(this.users.collection, userId);
  }

  /**
   * Consumes a verification token. The match on hash and expiry, the removal of the token and the
   * event are one conditional update, so a token verifies at most once however many requests race,
   * and a verification is never recorded without its event.
   */
  async verifyEmail(tokenHash: string, now: Date, events: (user: UserSummary) => AnyCloudEvent[]): Promise<UserSummary | null> {
    const pending = { 'verification.tokenHash': tokenHash, 'verification.expiresAt': { $gt: now } };
    const candidate = await this.users.findOne(pending, { email: 1 }).lean();
    if (!candidate) return null;
    const user = { id: candidate._id, email: candidate.email, emailVerifiedAt: now };
    const result = await this.users.updateOne(
      { _id: user.id, ...pending },
      { $set: { verification: null, emailVerifiedAt: now }, $push: { outbox: { $each: this.outbox(events(user)) } } },
    );
    if (result.modifiedCount !== 1) return null;
    this.relay.kick(this.users.collection, user.id);
    return user;
  }

  private outbox(events: AnyCloudEvent[]) {
    const now = this.clock();
    return events.map((event) => outboxEntryOf(event, this.sealer, now));
  }
}
