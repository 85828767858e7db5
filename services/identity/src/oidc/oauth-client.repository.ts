import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Adapter, ClientMetadata } from 'oidc-provider';

/** A registered client: its RFC 7591 metadata, with the secret only as its hash. */
export interface StoredClient {
  _id: string;
  metadata: Omit<ClientMetadata, 'client_id' | 'client_secret'>;
  /** SHA-256 of the secret, hex; null for a public client. The secret is 256 random bits, so no slow hash is needed. */
  secretHash: string | null;
  /** First-party clients skip the consent page. */
  firstParty: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const COLLECTION = 'oauth_clients';

export const hashClientSecret = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** Whether `presented` is the secret whose hash is stored, in constant time. */
export function secretMatches(storedHash: string | undefined, presented: string): boolean {
  if (!storedHash) return false;
  const expected = Buffer.from(storedHash, 'hex');
  const actual = Buffer.from(hashClientSecret(presented), 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

export const newClientSecret = () => randomBytes(32).toString('base64url');

/** The clients oidc-provider serves, written through the admin API and read by the provider's Client adapter. */
export class OAuthClientRepository {
  constructor(private readonly db: Connection) {}

  private get collection() {
    return this.db.collection<StoredClient>(COLLECTION);
  }

  async insert(client: StoredClient): Promise<void> {
    await this.collection.insertOne(client);
  }

  findById(id: string): Promise<StoredClient | null> {
    return this.collection.findOne({ _id: id });
  }

  list(): Promise<StoredClient[]> {
    return this.collection.find({}).sort({ createdAt: -1 }).limit(1000).toArray();
  }

  /** The updated client, or null when there is none with this id. */
  update(id: string, set: Partial<Pick<StoredClient, 'metadata' | 'firstParty' | 'secretHash'>>, now: Date): Promise<StoredClient | null> {
    return this.collection.findOneAndUpdate({ _id: id }, { $set: { ...set, updatedAt: now } }, { returnDocument: 'after' });
  }

  async remove(id: string): Promise<boolean> {
    return (await this.collection.deleteOne({ _id: id })).deletedCount === 1;
  }

  /**
   * The provider's view of a client: the stored hash stands where the secret would, and the provider's
   * Client.compareClientSecret is replaced to compare hashes (oidc-provider.ts).
   */
  adapter(): Adapter {
    const unsupported = () => Promise.reject(new Error('clients are written through the admin API only'));
    return {
      find: async (id) => {
        const client = await this.findById(id);
        if (!client) return undefined;
        return {
          ...client.metadata,
          client_id: client._id,
          ...(client.secretHash ? { client_secret: client.secretHash } : {}),
          first_party: client.firstParty,
        };
      },
      upsert: unsupported,
      findByUid: unsupported,
      findByUserCode: unsupported,
      consume: unsupported,
      destroy: unsupported,
      revokeByGrantId: unsupported,
    };
  }
}
