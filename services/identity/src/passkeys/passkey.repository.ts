import type { Model } from 'mongoose';
import type { PasskeyDocument } from './passkey.model';

export type StoredPasskey = Omit<PasskeyDocument, '_id'> & { id: string };

const toPasskey = ({ _id, ...rest }: PasskeyDocument): StoredPasskey => ({ id: _id, ...rest });

const DUPLICATE_KEY = 11_000;

/** The only code that touches the passkeys collection. */
export class PasskeyRepository {
  constructor(private readonly passkeys: Model<PasskeyDocument>) {}

  async listOf(userId: string): Promise<StoredPasskey[]> {
    return (await this.passkeys.find({ userId }).sort({ createdAt: 1 }).lean()).map(toPasskey);
  }

  async find(id: string): Promise<StoredPasskey | null> {
    const doc = await this.passkeys.findById(id).lean();
    return doc ? toPasskey(doc) : null;
  }

  /** False when a passkey with this credential id exists already (on any account). */
  async add(passkey: StoredPasskey): Promise<boolean> {
    const { id, ...rest } = passkey;
    try {
      await this.passkeys.create({ _id: id, ...rest });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  /**
   * Records a use, only if the counter is still the one the answer was checked against: two answers
   * checked at once against the same counter cannot both move it.
   */
  async recordUse(id: string, use: { expectedCounter: number; counter: number; backedUp: boolean; at: Date }): Promise<boolean> {
    const result = await this.passkeys.updateOne(
      { _id: id, counter: use.expectedCounter },
      { $set: { counter: use.counter, backedUp: use.backedUp, lastUsedAt: use.at } },
    );
    return result.matchedCount === 1;
  }

  async remove(userId: string, id: string): Promise<boolean> {
    return (await this.passkeys.deleteOne({ _id: id, userId })).deletedCount === 1;
  }

  /** Every passkey of a purged account. */
  async removeAllOf(userId: string): Promise<number> {
    return (await this.passkeys.deleteMany({ userId })).deletedCount;
  }
}
