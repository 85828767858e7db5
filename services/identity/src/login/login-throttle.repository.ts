import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { IdentityConfig } from '../config';
import {
  EMPTY_THROTTLE,
  afterFailure,
  type FailureOutcome,
  type ThrottleKey,
  type ThrottlePolicy,
  type ThrottleState,
  type Throttles,
} from './login-throttle';

interface ThrottleDocument extends ThrottleState {
  /**
   * SHA-256 of the address (the address-wide count) or of address and client IP (the lock):
   * throttles exist for unknown addresses too, and need not name them.
   */
  _id: string;
  /** SHA-256 of the address on per-client documents, so a password reset can clear them all. */
  address?: string;
  version: number;
  updatedAt: Date;
}

const throttleSchema = new Schema<ThrottleDocument>(
  {
    _id: { type: String, required: true },
    address: { type: String, index: true },
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

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const addressKey = (email: string) => sha256(email);
// A newline cannot be part of an address, so no (address, IP) pair hashes like another.
const clientKey = (key: ThrottleKey) => sha256(`${key.email}\n${key.ip}`);
const DUPLICATE_KEY = 11_000;

/**
 * Sign-in failures per (address, client IP), which lock, and per address, which ask for a CAPTCHA
 * past a much higher threshold (see Throttles). Updates are compare-and-set on a version, so
 * concurrent failures are each counted: 20 wrong passwords at once cannot slip past the limit.
 */
type ThrottleConfig = Pick<
  IdentityConfig,
  'LOGIN_MAX_FAILURES' | 'LOGIN_FAILURE_WINDOW' | 'LOGIN_LOCK_BASE' | 'LOGIN_LOCK_MAX' | 'LOGIN_ADDRESS_MAX_FAILURES'
>;

/** The sign-in throttle as configured: a lock per (address, client), and an address-wide count. */
export function configuredLoginThrottle(throttles: Model<ThrottleDocument>, config: ThrottleConfig): LoginThrottleRepository {
  return new LoginThrottleRepository(
    throttles,
    {
      maxFailures: config.LOGIN_MAX_FAILURES,
      windowMs: config.LOGIN_FAILURE_WINDOW,
      baseLockMs: config.LOGIN_LOCK_BASE,
      maxLockMs: config.LOGIN_LOCK_MAX,
    },
    {
      // The address-wide count asks for a CAPTCHA for the rest of one window, and never grows longer:
      // anyone can drive it up, so it must not become a long lock of its own.
      maxFailures: config.LOGIN_ADDRESS_MAX_FAILURES,
      windowMs: config.LOGIN_FAILURE_WINDOW,
      baseLockMs: config.LOGIN_FAILURE_WINDOW,
      maxLockMs: config.LOGIN_FAILURE_WINDOW,
    },
  );
}

export class LoginThrottleRepository {
  constructor(
    private readonly throttles: Model<ThrottleDocument>,
    private readonly policy: ThrottlePolicy,
    private readonly addressPolicy: ThrottlePolicy,
  ) {}

  async stateOf(key: ThrottleKey): Promise<Throttles> {
    const docs = await this.throttles.find({ _id: { $in: [clientKey(key), addressKey(key.email)] } }).lean();
    const byId = (id: string): ThrottleState => docs.find((doc) => doc._id === id) ?? EMPTY_THROTTLE;
    return { client: byId(clientKey(key)), address: byId(addressKey(key.email)) };
  }

  /** Counts one failure for the client and for the address; the outcome is the client's (its lock). */
  async recordFailure(key: ThrottleKey, now: Date): Promise<FailureOutcome> {
    const outcome = await this.bump(clientKey(key), addressKey(key.email), now, this.policy);
    await this.bump(addressKey(key.email), undefined, now, this.addressPolicy);
    return outcome;
  }

  private async bump(_id: string, address: string | undefined, now: Date, policy: ThrottlePolicy): Promise<FailureOutcome> {
    for (;;) {
      const current = await this.throttles.findById(_id).lean();
      const next = afterFailure(current ?? EMPTY_THROTTLE, now, policy);
      // Only the throttle's own fields: next.state is built from the stored document, whose _id and
      // version must not reach $set (version is also $inc'd, which the server refuses as a conflict).
      const { failures, windowStart, lockedUntil, locks } = next.state;
      const fields = { failures, windowStart, lockedUntil, locks, updatedAt: now };
      try {
        if (!current) {
          await this.throttles.create({ _id, ...(address ? { address } : {}), ...fields, version: 1 });
          return next;
        }
        const result = await this.throttles.updateOne({ _id, version: current.version }, { $set: fields, $inc: { version: 1 } });
        if (result.modifiedCount === 1) return next;
      } catch (error) {
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      }
    }
  }

  /**
   * After a successful sign-in: that client's count only. The address-wide count runs out with its
   * window, or an attacker's guesses from elsewhere would be forgiven by the owner's sign-in.
   */
  async reset(key: ThrottleKey): Promise<void> {
    await this.throttles.deleteOne({ _id: clientKey(key) });
  }

  /** Every count for the address, from every client: on a password reset and on a purge. */
  async resetAddress(email: string): Promise<void> {
    const address = addressKey(email);
    await this.throttles.deleteMany({ $or: [{ _id: address }, { address }] });
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
