import type { Connection } from 'mongoose';
import type { Adapter, AdapterPayload } from 'oidc-provider';

/** One stored model of oidc-provider (session, interaction, grant, code, token...), keyed by model and id. */
interface StoredModel {
  _id: string;
  model: string;
  payload: AdapterPayload;
  grantId: string | null;
  uid: string | null;
  userCode: string | null;
  /** Null for what lives until removed; past this it is gone to the provider, and the cleanup deletes it. */
  expiresAt: Date | null;
}

const COLLECTION = 'oidc_models';

/** Which identity session signed an OIDC session in (its uid, the `sessionUid` of every token it issued). */
interface SessionLink {
  _id: string;
  userId: string;
  sessionId: string;
  linkedAt: Date;
}

/**
 * oidc-provider's storage in identity's database. The local Mongo-wire server ignores TTL indexes, so
 * expiry is checked on every read and the expired documents are removed by the sessions cleanup.
 */
export class OidcModelStore {
  constructor(
    private readonly db: Connection,
    private readonly clock: () => Date,
  ) {}

  private get collection() {
    return this.db.collection<StoredModel>(COLLECTION);
  }

  private get links() {
    return this.db.collection<SessionLink>('oidc_session_links');
  }

  async init(): Promise<void> {
    await Promise.all([
      this.collection.createIndex({ grantId: 1 }, { sparse: true }),
      this.collection.createIndex({ model: 1, uid: 1 }, { sparse: true }),
      this.collection.createIndex({ model: 1, userCode: 1 }, { sparse: true }),
      this.collection.createIndex({ expiresAt: 1 }),
      this.collection.createIndex({ 'payload.sessionUid': 1 }, { sparse: true }),
      this.links.createIndex({ userId: 1, sessionId: 1 }),
    ]);
  }

  /** The adapter oidc-provider asks for once per model name. */
  adapterFor(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`;
    const live = async (filter: Partial<StoredModel>) => {
      const doc = await this.collection.findOne({ model, ...filter });
      if (!doc || (doc.expiresAt && doc.expiresAt <= this.clock())) return undefined;
      return doc.payload;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        const expiresAt = expiresIn ? new Date(this.clock().getTime() + expiresIn * 1000) : null;
        const doc = {
          model,
          payload,
          grantId: payload.grantId ?? null,
          uid: payload.uid ?? null,
          userCode: payload.userCode ?? null,
          expiresAt,
        };
        await this.collection.replaceOne({ _id: key(id) }, doc, { upsert: true });
      },
      find: (id) => live({ _id: key(id) }),
      findByUid: (uid) => live({ uid }),
      findByUserCode: (userCode) => live({ userCode }),
      consume: async (id) => {
        await this.collection.updateOne({ _id: key(id) }, { $set: { 'payload.consumed': Math.floor(this.clock().getTime() / 1000) } });
      },
      destroy: async (id) => {
        await this.collection.deleteOne({ _id: key(id) });
      },
      // Every model of a grant, whatever its name: a revoked grant takes its codes and tokens with it.
      revokeByGrantId: async (grantId) => {
        await this.collection.deleteMany({ grantId });
      },
    };
  }

  /** Records that identity session `sessionId` signed in the OIDC session `uid` (the latest sign-in wins). */
  async linkSession(uid: string, userId: string, sessionId: string): Promise<void> {
    await this.links.replaceOne({ _id: uid }, { userId, sessionId, linkedAt: this.clock() }, { upsert: true });
  }

  /** The identity session that signed in OIDC session `uid`, if one did. */
  async linkOf(uid: string): Promise<{ userId: string; sessionId: string } | undefined> {
    return (await this.links.findOne({ _id: uid }, { projection: { userId: 1, sessionId: 1 } })) ?? undefined;
  }

  /**
   * One notion of a session: when identity session `sessionId` ends, so do the OIDC sessions it signed
   * in and every code and token issued under them. Their grants (what the user consented to) stay.
   */
  async endSession(userId: string, sessionId: string): Promise<void> {
    const uids = (await this.links.find({ userId, sessionId }, { projection: { _id: 1 } }).toArray()).map((link) => link._id);
    if (uids.length === 0) return;
    await this.collection.deleteMany({ $or: [{ 'payload.sessionUid': { $in: uids } }, { model: 'Session', uid: { $in: uids } }] });
    await this.links.deleteMany({ _id: { $in: uids } });
  }

  /** Every code and token OIDC session `uid` issued to one client: the user signed out of that app only. */
  async endClientSession(uid: string, clientId: string): Promise<void> {
    await this.collection.deleteMany({ 'payload.sessionUid': uid, 'payload.clientId': clientId });
  }

  /** A purged account's sessions, grants, codes and tokens, and the links to its identity sessions. */
  async removeAccount(userId: string): Promise<void> {
    await this.collection.deleteMany({ 'payload.accountId': userId });
    await this.links.deleteMany({ userId });
  }

  /** Every grant, code and token of one account's use of one client: the account took its consent back. */
  async removeGrantsOf(userId: string, clientId: string): Promise<void> {
    await this.collection.deleteMany({ 'payload.accountId': userId, 'payload.clientId': clientId });
  }

  /** Every grant, code and token issued to a client: it is deleted. */
  async removeClient(clientId: string): Promise<void> {
    await this.collection.deleteMany({ 'payload.clientId': clientId });
  }

  /** Removes up to `limit` models expired before `before`; the count removed. */
  async removeExpired(before: Date, limit: number): Promise<number> {
    const expired = await this.collection
      .find({ expiresAt: { $lt: before } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    if (expired.length === 0) return 0;
    return (await this.collection.deleteMany({ _id: { $in: expired.map((doc) => doc._id) } })).deletedCount;
  }
}
