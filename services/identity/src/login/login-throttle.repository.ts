import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { EMPTY_THROTTLE, afterFailure, type FailureOutcome, type ThrottlePolicy, type ThrottleState } from './login-throttle';

interface ThrottleDocument extends ThrottleState {
  /** SHA-256 of the address: throttles exist for unknown addresses too, and need not name them. */
  _id: string;
  version: number;
  updatedAt: Date;
}

const throttleSchema = new Schema<ThrottleDocument>(
  {
    _id: { type: String, required: true },
    failures: { type: Number, default: 0 },
    windowStart: { type: Date, default: null },
    lockedUntil: { type: Date, default: null },
    locks: { type: Number, default: 0 },
    version: { type: Number, default: 0 },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'login_throttles', versionKey: false },
);

export function throttleModel(connection: Connection): Model<ThrottleDocument> {
  return connection.model<ThrottleDocument>('LoginThrottle', throttleSchema);
}

const keyOf = (email: string) => createHash('sha256').update(email).digest('hex');
const DUPLICATE_KEY = 11_000;

/**
 * Per-address sign-in failures. Updates are compare-and-set on a version, so concurrent failures
 * are each counted: 20 wrong passwords at once cannot slip past the limit.
 */
export class LoginThrottleRepository {
  constructor(
    private readonly throttles: Model<ThrottleDocument>,
    private readonly policy: ThrottlePolicy,
  ) {}

  async stateOf(email: string): Promise<ThrottleState> {
    return (await this.throttles.findById(keyOf(email)).lean()) ?? EMPTY_THROTTLE;
  }

  async recordFailure(email: string, now: Date): Promise<FailureOutcome> {
    const _id = keyOf(email);
    for (;;) {
      const current = await this.throttles.findById(_id).lean();
      const next = afterFailure(current ?? EMPTY_THROTTLE, now, this.policy);
      // Only the throttle's own fields: next.state is built from the stored document, whose _id and
      // version must not reach $set (version is also $inc'd, which the server refuses as a conflict).
      const { failures, windowStart, lockedUntil, locks } = next.state;
      const fields = { failures, windowStart, lockedUntil, locks, updatedAt: now };
      try {
        if (!current) {
          await this.throttles.create({ _id, ...fields, version: 1 });
          return next;
        }
        const result = await this.throttles.updateOne({ _id, version: current.version }, { $set: fields, $inc: { version: 1 } });
        if (result.modifiedCount === 1) return next;
      } catch (error) {
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      }
    }
  }

  async reset(email: string): Promise<void> {
    await this.throttles.deleteOne({ _id: keyOf(email) });
  }

  /** Removes a page of throttles untouched since `before` and not locked now; resolves how many went. */
  async removeStale(before: Date, now: Date, limit: number): Promise<number> {
    const stale = await this.throttles
      .find({ updatedAt: { $lt: before }, $or: [{ lockedUntil: null }, { lockedUntil: { $lte: now } }] }, { _id: 1 })
      .limit(limit)
      .lean();
    if (stale.length === 0) return 0;
    return (await this.throttles.deleteMany({ _id: { $in: stale.map((doc) => doc._id) }, updatedAt: { $lt: before } })).deletedCount;
  }
}
