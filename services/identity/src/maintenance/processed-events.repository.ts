import type { Connection } from 'mongoose';

/**
 * The chassis consumer's record of handled event ids (`processed_events`, one document per group and
 * event). It only has to outlive redelivery, so entries older than the retention go.
 */
export class ProcessedEventsRepository {
  constructor(private readonly db: Connection) {}

  async removeBefore(before: Date, limit: number): Promise<number> {
    const collection = this.db.collection<{ _id: string; processedAt: Date }>('processed_events');
    const old = await collection
      .find({ processedAt: { $lt: before } }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray();
    if (old.length === 0) return 0;
    return (await collection.deleteMany({ _id: { $in: old.map((doc) => doc._id) } })).deletedCount;
  }
}
