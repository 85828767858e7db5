import type { Model } from 'mongoose';
import type { DeletionStatus, PendingDeletion } from './pending-deletion.model';

const DUPLICATE_KEY = 11000;

export interface DueDeletion {
  deletionRequestId: string;
  userId: string;
}

export class PendingDeletionRepository {
  constructor(private readonly model: Model<PendingDeletion>) {}

  async init(): Promise<void> {
    await this.model.init();
  }

  /** The requests still linked to the user (a finished one forgets the user id), for a data export. */
  async ofUser(userId: string): Promise<PendingDeletion[]> {
    return this.model.find({ userId }).sort({ updatedAt: -1 }).lean().exec();
  }

  /** Records a request once; returns its status, which says whether it still needs a purge. */
  async recordRequested(input: { deletionRequestId: string; userId: string; purgeAt: Date; now: Date }): Promise<DeletionStatus> {
    const doc = await this.model
      .findOneAndUpdate(
        { _id: input.deletionRequestId },
        { $setOnInsert: { userId: input.userId, purgeAt: input.purgeAt, status: 'pending', published: 0, updatedAt: input.now } },
        { upsert: true, new: true, lean: true },
      )
      .exec();
    if (!doc) throw new Error('upsert returned no document');
    return doc.status;
  }

  /** A newer request replaces the user's older ones: identity only purges for the request still pending. */
  async supersedeOthers(userId: string, keep: string, now: Date): Promise<string[]> {
    const older = await this.model
      .find({ userId, status: 'pending', _id: { $ne: keep } }, { _id: 1 })
      .lean()
      .exec();
    if (older.length === 0) return [];
    const ids = older.map((doc) => doc._id);
    await this.model
      .updateMany({ _id: { $in: ids }, status: 'pending' }, { $set: { status: 'superseded', updatedAt: now }, $unset: { userId: 1 } })
      .exec();
    return ids;
  }

  /** Ends a request for good (cancelled or done), forgetting whose it was; a later redelivery of its request finds it closed. */
  async close(deletionRequestId: string, status: 'cancelled' | 'done', now: Date): Promise<void> {
    try {
      await this.model
        .updateOne(
          { _id: deletionRequestId, status: { $ne: 'done' } },
          { $set: { status, updatedAt: now }, $unset: { userId: 1 }, $setOnInsert: { published: 0 } },
          { upsert: true },
        )
        .exec();
    } catch (error) {
      // Already done: the filter missed it, and the upsert found its id taken. Nothing to change.
      if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
    }
  }

  async findPending(deletionRequestId: string): Promise<DueDeletion | null> {
    const doc = await this.model.findOne({ _id: deletionRequestId, status: 'pending' }).lean().exec();
    return doc?.userId ? { deletionRequestId: doc._id, userId: doc.userId } : null;
  }

  /** Pending requests whose grace period ended by `now` and that were not published since `since`, oldest first. */
  async findOverdue(now: Date, since: Date, limit: number): Promise<DueDeletion[]> {
    const docs = await this.model
      .find({
        status: 'pending',
        purgeAt: { $lte: now },
        $or: [{ lastPublishedAt: { $exists: false } }, { lastPublishedAt: { $lt: since } }],
      })
      .sort({ purgeAt: 1, _id: 1 })
      .limit(limit)
      .lean()
      .exec();
    return docs.flatMap((doc) => (doc.userId ? [{ deletionRequestId: doc._id, userId: doc.userId }] : []));
  }

  async recordPublished(deletionRequestIds: string[], now: Date): Promise<void> {
    await this.model
      .updateMany({ _id: { $in: deletionRequestIds } }, { $inc: { published: 1 }, $set: { lastPublishedAt: now, updatedAt: now } })
      .exec();
  }
}
