import type { Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { OutboxWriter } from '@solar/chassis';
import { stateTombstone } from '../user-state/user-state';
import type { DeletedAccountDocument } from './deleted-account.model';

const DUPLICATE_KEY = 11_000;

export class DeletedAccountRepository {
  constructor(
    private readonly tombstones: Model<DeletedAccountDocument>,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * Records the purge with its events, once: a second call for the same request (a resumed purge, a
   * second replica) finds the first tombstone and adds nothing, so its events are never written twice.
   * After them, the null record that removes the account from identity.user-state.v1.
   */
  async record(userId: string, tombstone: Omit<DeletedAccountDocument, 'outbox'>, events: AnyCloudEvent[]): Promise<void> {
    try {
      await this.tombstones.create({
        ...tombstone,
        outbox: [...this.outbox.entries(events, tombstone.deletedAt), stateTombstone(this.outbox, userId, tombstone.deletedAt)],
      });
    } catch (error) {
      if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
    }
    this.outbox.written(this.tombstones.collection, tombstone._id);
  }
}
