import type { Model } from 'mongoose';
import { createEvent, type AnyCloudEvent, type EventInput, type SessionRevocationReason } from '@solar/contracts';
import type { OutboxWriter } from '@solar/chassis';
import type { RequestContext } from '../http/request-context';
import type { RevokeReason, SessionDocument } from './session.model';

/** How each stored reason reads on SessionRevoked. */
const PUBLIC_REASONS = {
  logout: 'logout',
  logout_all: 'logout_all',
  revoked_by_user: 'revoked',
  refresh_token_reused: 'reuse',
  password_changed: 'password_changed',
  password_reset: 'reset',
  // The undo replaces the password and asks for a new one: a reset, as far as a consumer is concerned.
  email_change_undone: 'reset',
  // An admin's end of the sessions (or of the account) reads as a revocation: a new reason would be a v2 event.
  revoked_by_admin: 'revoked',
  account_disabled: 'revoked',
  expired: 'expired',
} as const satisfies Record<RevokeReason, SessionRevocationReason>;

function sessionRevoked(data: EventInput<'SessionRevoked'>, now: Date): AnyCloudEvent {
  return createEvent('SessionRevoked', { source: '/identity', subject: data.userId, time: now, data });
}

export interface SessionView {
  id: string;
  userId: string;
  userAgent: string;
  ip: string;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
  amr: string[] | null;
}

const toView = (doc: SessionDocument): SessionView => ({
  id: doc._id,
  userId: doc.userId,
  userAgent: doc.userAgent,
  ip: doc.ip,
  createdAt: doc.createdAt,
  lastUsedAt: doc.lastUsedAt,
  expiresAt: doc.expiresAt,
  amr: doc.amr ?? null,
});

/** How long a session lasts: idleMs past its last refresh, and never longer than maxAgeMs from sign-in. */
export interface SessionLifetime {
  idleMs: number;
  maxAgeMs: number;
}

/**
 * Rotated refresh-token hashes a session keeps for reuse detection. A stolen token is usually replayed
 * within a few rotations of its theft; keeping every hash grew the document with each refresh.
 */
const KEPT_ROTATED_HASHES = 10;

export class SessionRepository {
  private readonly clock: () => Date;

  constructor(
    private readonly sessions: Model<SessionDocument>,
    private readonly outbox: OutboxWriter,
    /** Told of every session revoked, after its write: what the session signed in elsewhere (OIDC) ends with it. */
    private readonly ended: (userId: string, sessionId: string) => Promise<void> = async () => {},
  ) {
    this.clock = outbox.clock;
  }

  async open(
    session: { id: string; userId: string; tokenHash: string; expiresAt: Date; context: RequestContext; amr: string[] },
    events: AnyCloudEvent[],
  ): Promise<void> {
    const now = this.clock();
    const outbox = this.outbox.entries(events, now);
    await this.sessions.create({
      _id: session.id,
      userId: session.userId,
      tokenHash: session.tokenHash,
      userAgent: session.context.userAgent,
      ip: session.context.ip,
      createdAt: now,
      lastUsedAt: now,
      expiresAt: session.expiresAt,
      amr: session.amr,
      outbox,
    });
    this.outbox.inserted(this.sessions.collection, session.id, outbox);
  }

  /**
   * Swaps the presented refresh token for a new one in one conditional update: of concurrent uses
   * of one token exactly one wins; the others then look like reuse of a rotated token.
   */
  async rotate(presentedHash: string, nextHash: string, lifetime: SessionLifetime, context: RequestContext): Promise<SessionView | null> {
    const now = this.clock();
    const live = { tokenHash: presentedHash, revokedAt: null, expiresAt: { $gt: now } };
    // Read first for the sign-in time: the new deadline is the earlier of idle and absolute, which an
    // update cannot compute without a pipeline (not understood by the local Mongo-wire server). The
    // update below is still conditional on the presented token, so of racing uses one wins.
    const current = await this.sessions.findOne(live, { createdAt: 1 }).lean();
    if (!current) return null;
    const expiresAt = new Date(Math.min(now.getTime() + lifetime.idleMs, current.createdAt.getTime() + lifetime.maxAgeMs));
    const doc = await this.sessions
      .findOneAndUpdate(
        live,
        {
          $set: {
            tokenHash: nextHash,
            rotatedTokenHash: presentedHash,
            rotatedAt: now,
            lastUsedAt: now,
            expiresAt,
            ip: context.ip,
            userAgent: context.userAgent,
          },
          $push: { previousTokenHashes: { $each: [presentedHash], $slice: -KEPT_ROTATED_HASHES } },
        },
        { new: true, projection: { outbox: 0, previousTokenHashes: 0 } },
      )
      .lean();
    return doc ? toView(doc) : null;
  }

  /**
   * The live session whose family once used this token, if any: the sign of a stolen token, unless
   * it is the token the last rotation spent (`rotatedAt` says when), which a racing client may still hold.
   */
  async findByRotatedToken(hash: string): Promise<(SessionView & { rotatedAt: Date | null }) | null> {
    // An expired family is over anyway: replaying its old tokens is no sign of theft worth an alarm.
    const doc = await this.sessions
      .findOne({ previousTokenHashes: hash, revokedAt: null, expiresAt: { $gt: this.clock() } }, { outbox: 0, previousTokenHashes: 0 })
      .lean();
    if (!doc) return null;
    return { ...toView(doc), rotatedAt: doc.rotatedTokenHash === hash ? doc.rotatedAt : null };
  }

  async isActive(sessionId: string, userId: string): Promise<boolean> {
    return (await this.sessions.exists({ _id: sessionId, userId, revokedAt: null, expiresAt: { $gt: this.clock() } })) !== null;
  }

  /** When the live session was signed into (refreshes keep it); null when it is not live. */
  async signedInAt(sessionId: string, userId: string): Promise<Date | null> {
    const doc = await this.sessions
      .findOne({ _id: sessionId, userId, revokedAt: null, expiresAt: { $gt: this.clock() } }, { createdAt: 1 })
      .lean();
    return doc?.createdAt ?? null;
  }

  async listActive(userId: string): Promise<SessionView[]> {
    const docs = await this.sessions
      .find({ userId, revokedAt: null, expiresAt: { $gt: this.clock() } }, { outbox: 0, previousTokenHashes: 0 })
      .sort({ lastUsedAt: -1 })
      .limit(200)
      .lean();
    return docs.map(toView);
  }

  /** Revokes one session of this user, announcing it with SessionRevoked; false when there is no such live session. */
  async revoke(sessionId: string, userId: string, reason: RevokeReason, events: AnyCloudEvent[] = []): Promise<boolean> {
    const now = this.clock();
    const announced = [...events, sessionRevoked({ userId, sessionId, reason: PUBLIC_REASONS[reason] }, now)];
    const result = await this.sessions.updateOne(
      { _id: sessionId, userId, revokedAt: null },
      { $set: { revokedAt: now, revokedReason: reason }, $push: { outbox: { $each: this.outbox.entries(announced, now) } } },
    );
    if (result.modifiedCount !== 1) return false;
    this.outbox.written(this.sessions.collection, sessionId);
    await this.ended(userId, sessionId);
    return true;
  }

  /**
   * Revokes every live session of a user, optionally keeping one; answers how many ended. One write
   * per session, so each carries its own SessionRevoked (an account has a handful of live sessions).
   */
  async revokeAll(userId: string, reason: RevokeReason, except?: string): Promise<number> {
    const live = await this.sessions.find({ userId, revokedAt: null, ...(except ? { _id: { $ne: except } } : {}) }, { _id: 1 }).lean();
    const revoked = await Promise.all(live.map((session) => this.revoke(session._id, userId, reason)));
    return revoked.filter(Boolean).length;
  }

  /** Every session of a purged account goes, live or not; their refresh tokens die with them. */
  async removeAllOf(userId: string): Promise<number> {
    return (await this.sessions.deleteMany({ userId })).deletedCount;
  }

  /** Of these users, the ones with a session used since `since`: refreshing tokens is activity too. */
  async usedSince(userIds: string[], since: Date): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const ids = await this.sessions.distinct('userId', { userId: { $in: userIds }, lastUsedAt: { $gte: since } });
    return new Set(ids.map(String));
  }

  /**
   * Ends a page of sessions that ran out (idle or past their maximum age) as revoked `expired`, each
   * with its SessionRevoked, so a service that caches sessions learns of them as of any other end;
   * resolves how many. removeDead takes them once the relay has published that.
   */
  async endLapsed(now: Date, limit: number): Promise<number> {
    const lapsed = await this.sessions
      .find({ expiresAt: { $lte: now }, revokedAt: null }, { _id: 1, userId: 1 })
      .limit(limit)
      .lean();
    const ended = await Promise.all(lapsed.map((session) => this.revoke(session._id, session.userId, 'expired')));
    return ended.filter(Boolean).length;
  }

  /**
   * Removes a page of sessions revoked before `revokedBefore` (lapsed ones included: endLapsed revoked
   * them); resolves how many went. A session whose outbox still holds an event stays until the relay
   * has published it.
   */
  async removeDead(revokedBefore: Date, limit: number): Promise<number> {
    const dead = await this.sessions
      .find({ revokedAt: { $ne: null, $lte: revokedBefore }, outbox: { $size: 0 } }, { _id: 1 })
      .limit(limit)
      .lean();
    if (dead.length === 0) return 0;
    return (await this.sessions.deleteMany({ _id: { $in: dead.map((doc) => doc._id) }, outbox: { $size: 0 } })).deletedCount;
  }
}
