import { createHash } from 'node:crypto';
import type { Model } from 'mongoose';
import type { PasskeyChallengeDocument } from './passkey.model';

export type ChallengeBinding = Omit<PasskeyChallengeDocument, '_id' | 'expiresAt'>;

const keyOf = (challenge: string) => createHash('sha256').update(challenge).digest('base64url');

/** Challenges handed out with WebAuthn options: each taken back at most once, and only before it expires. */
export class PasskeyChallengeRepository {
  constructor(private readonly challenges: Model<PasskeyChallengeDocument>) {}

  async issue(challenge: string, binding: ChallengeBinding, expiresAt: Date): Promise<void> {
    await this.challenges.create({ _id: keyOf(challenge), ...binding, expiresAt });
  }

  /**
   * Removes and returns the challenge if it is open: one atomic delete, so an answer replayed, even
   * racing the first, finds nothing. An expired one is removed too and answers null.
   */
  async take(challenge: string, now: Date): Promise<ChallengeBinding | null> {
    const doc = await this.challenges.findOneAndDelete({ _id: keyOf(challenge) }).lean();
    if (!doc || doc.expiresAt.getTime() <= now.getTime()) return null;
    const { _id, expiresAt, ...binding } = doc;
    return binding;
  }

  /** Removes a page of expired challenges (the local Mongo-wire server has no TTL); resolves how many went. */
  async removeExpired(now: Date, limit: number): Promise<number> {
    const expired = await this.challenges
      .find({ expiresAt: { $lte: now } }, { _id: 1 })
      .limit(limit)
      .lean();
    if (expired.length === 0) return 0;
    return (await this.challenges.deleteMany({ _id: { $in: expired.map((doc) => doc._id) } })).deletedCount;
  }
}
