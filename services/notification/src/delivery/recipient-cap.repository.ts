import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

interface SendCountDocument {
  /** SHA-256 of recipient, template and hour: the address is not kept in the clear for this. */
  _id: string;
  count: number;
  expiresAt: Date;
}

const sendCountSchema = new Schema<SendCountDocument>(
  {
    _id: { type: String, required: true },
    count: { type: Number, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { collection: 'recipient_send_counts', versionKey: false },
);

const HOUR = 3_600_000;
const DUPLICATE_KEY = 11_000;

/**
 * Emails sent per (recipient, template) per clock hour. Anyone can make identity email an address
 * (register on a taken address, ask for a reset), so without a cap a requester could flood a
 * mailbox. The count is taken before sending; counts of past hours are deleted by query on each
 * take, since the Mongo-wire test server ignores TTL indexes.
 */
export class RecipientCapRepository {
  private constructor(private readonly counts: Model<SendCountDocument>) {}

  static async open(db: Connection): Promise<RecipientCapRepository> {
    const counts = db.model<SendCountDocument>('RecipientSendCount', sendCountSchema);
    await counts.init();
    return new RecipientCapRepository(counts);
  }

  /** Counts one email to `to` with `template`; false when this hour's `limit` was already reached. */
  async take(to: string, template: string, limit: number, now: Date): Promise<boolean> {
    const hour = Math.floor(now.getTime() / HOUR) * HOUR;
    const _id = createHash('sha256').update(`${to.toLowerCase()}\n${template}\n${hour}`).digest('hex');
    await this.counts.deleteMany({ expiresAt: { $lte: now } });
    for (;;) {
      try {
        const doc = await this.counts
          .findOneAndUpdate(
            { _id },
            { $inc: { count: 1 }, $setOnInsert: { expiresAt: new Date(hour + HOUR) } },
            { upsert: true, new: true },
          )
          .lean();
        return (doc?.count ?? 1) <= limit;
      } catch (error) {
        // Two first sends of the hour racing: one inserts, the other retries as an increment.
        if ((error as { code?: unknown }).code !== DUPLICATE_KEY) throw error;
      }
    }
  }
}
