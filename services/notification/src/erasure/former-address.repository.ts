import { Schema, type Connection, type Model } from 'mongoose';

/** The addresses an account had before its current one, by user id. */
interface FormerAddressesDocument {
  _id: string;
  addresses: string[];
}

const formerAddressesSchema = new Schema<FormerAddressesDocument>(
  {
    _id: { type: String, required: true },
    addresses: { type: [String], default: [] },
  },
  { collection: 'former_addresses', versionKey: false },
);

/**
 * Suppression entries and bounce events are keyed by address, and UserDeleted names only the
 * current one: without this list, what was kept under an address the account left would outlive
 * the account. Filled from EmailChanged, read and dropped by the erasure.
 */
export class FormerAddressRepository {
  private constructor(private readonly docs: Model<FormerAddressesDocument>) {}

  static async open(db: Connection): Promise<FormerAddressRepository> {
    const docs = db.model<FormerAddressesDocument>('FormerAddresses', formerAddressesSchema);
    await docs.init();
    return new FormerAddressRepository(docs);
  }

  /** Idempotent: a redelivered EmailChanged adds nothing. */
  async record(userId: string, address: string): Promise<void> {
    await this.docs.updateOne({ _id: userId }, { $addToSet: { addresses: address.toLowerCase() } }, { upsert: true });
  }

  async of(userId: string): Promise<string[]> {
    return (await this.docs.findById(userId).lean())?.addresses ?? [];
  }

  async forget(userId: string): Promise<void> {
    await this.docs.deleteOne({ _id: userId });
  }
}
