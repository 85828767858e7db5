import type { Connection } from 'mongoose';

/** An account's consent to a third-party app: remembered across sessions until the account takes it back. */
export interface StoredConsent {
  _id: string;
  userId: string;
  clientId: string;
  scopes: string[];
  grantedAt: Date;
}

export class OAuthConsentRepository {
  constructor(private readonly db: Connection) {}

  private get collection() {
    return this.db.collection<StoredConsent>('oauth_consents');
  }

  async init(): Promise<void> {
    await this.collection.createIndex({ userId: 1, grantedAt: -1 });
  }

  async remember(userId: string, clientId: string, scopes: string[], now: Date): Promise<void> {
    await this.collection.replaceOne({ _id: `${userId}:${clientId}` }, { userId, clientId, scopes, grantedAt: now }, { upsert: true });
  }

  find(userId: string, clientId: string): Promise<StoredConsent | null> {
    return this.collection.findOne({ _id: `${userId}:${clientId}` });
  }

  listOf(userId: string): Promise<StoredConsent[]> {
    return this.collection.find({ userId }).sort({ grantedAt: -1 }).limit(200).toArray();
  }

  /** A purged account's consents go with it. */
  async removeAllOf(userId: string): Promise<void> {
    await this.collection.deleteMany({ userId });
  }

  async remove(userId: string, clientId: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: `${userId}:${clientId}` })).deletedCount === 1;
  }
}
