import type { Model } from 'mongoose';
import type { AnyCloudEvent } from '@solar/contracts';
import type { OutboxWriter } from '@solar/chassis';
import type { DataExportDocument, DataExportLink, DataExportSlotDocument } from './data-export.model';

export type DataExport = Omit<DataExportDocument, '_id' | 'outbox'> & { id: string };

const VIEW = {
  userId: 1,
  startedBy: 1,
  requestedAt: 1,
  deadline: 1,
  participants: 1,
  status: 1,
  parts: 1,
  chunks: 1,
  archive: 1,
  link: 1,
  finishedAt: 1,
} as const;

const DUPLICATE_KEY = 11_000;

const toExport = ({ _id, ...rest }: Omit<DataExportDocument, 'outbox'>): DataExport => ({ id: _id, ...rest });

/** The only code that touches the data_exports collection; each change is written with its events. */
export class DataExportRepository {
  constructor(
    private readonly exports: Model<DataExportDocument>,
    private readonly outbox: OutboxWriter,
    private readonly slots: Model<DataExportSlotDocument>,
  ) {}

  async latestRequestOf(userId: string): Promise<Date | null> {
    const doc = await this.slots.findById(userId, { requestedAt: 1 }).lean();
    return doc?.requestedAt ?? null;
  }

  /**
   * Takes the user's window for an export made at `now`, unless one was made after `since`: one
   * conditional write, so of two requests at once only one gets it (the other's upsert meets the
   * unique _id).
   */
  async claimWindow(userId: string, now: Date, since: Date): Promise<boolean> {
    try {
      await this.slots.updateOne({ _id: userId, requestedAt: { $lte: since } }, { $set: { requestedAt: now } }, { upsert: true });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY) return false;
      throw error;
    }
  }

  async create(
    entry: Pick<DataExport, 'id' | 'userId' | 'startedBy' | 'requestedAt' | 'deadline' | 'participants'>,
    events: AnyCloudEvent[],
  ) {
    await this.exports.create({
      _id: entry.id,
      userId: entry.userId,
      startedBy: entry.startedBy,
      requestedAt: entry.requestedAt,
      deadline: entry.deadline,
      participants: entry.participants,
      status: 'pending',
      parts: {},
      chunks: {},
      outbox: this.outbox.entries(events, entry.requestedAt),
    });
    this.outbox.written(this.exports.collection, entry.id);
  }

  /** Stores one sealed piece of a part while the export waits; the export as it is then, or null once it stopped waiting. */
  async savePiece(exportId: string, piece: { service: string; chunk: number; chunks: number; sealed: string }): Promise<DataExport | null> {
    const doc = await this.exports
      .findOneAndUpdate(
        { _id: exportId, status: 'pending' },
        { $set: { [`parts.${piece.service}.${piece.chunk}`]: piece.sealed, [`chunks.${piece.service}`]: piece.chunks } },
        { new: true, projection: VIEW },
      )
      .lean();
    return doc ? toExport(doc) : null;
  }

  /** Stores the sealed archive and its link and drops the parts; false if another delivery finished it first. */
  async complete(exportId: string, archive: string, link: DataExportLink, now: Date, events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.exports.updateOne(
      { _id: exportId, status: 'pending' },
      {
        $set: { status: 'ready', archive, link, parts: {}, finishedAt: now },
        $push: { outbox: { $each: this.outbox.entries(events, now) } },
      },
    );
    if (result.modifiedCount === 0) return false;
    this.outbox.written(this.exports.collection, exportId);
    return true;
  }

  async fail(exportId: string, now: Date, events: AnyCloudEvent[]): Promise<boolean> {
    const result = await this.exports.updateOne(
      { _id: exportId, status: 'pending' },
      { $set: { status: 'failed', parts: {}, finishedAt: now }, $push: { outbox: { $each: this.outbox.entries(events, now) } } },
    );
    if (result.modifiedCount === 0) return false;
    this.outbox.written(this.exports.collection, exportId);
    return true;
  }

  async overdue(now: Date, limit: number): Promise<DataExport[]> {
    const docs = await this.exports
      .find({ status: 'pending', deadline: { $lte: now } }, VIEW)
      .limit(limit)
      .lean();
    return docs.map(toExport);
  }

  async findByLink(hash: string): Promise<DataExport | null> {
    const { archive: _archive, parts: _parts, ...fields } = VIEW;
    const doc = await this.exports.findOne({ 'link.hash': hash }, fields).lean();
    return doc ? toExport({ ...doc, archive: null, parts: {} }) : null;
  }

  /**
   * Spends a live link and takes the archive out in the same write: the export as it was (with its
   * archive), or null when the link is unknown, used or expired. Two downloads at once get one archive.
   */
  async spendLink(hash: string, now: Date): Promise<DataExport | null> {
    const doc = await this.exports
      .findOneAndUpdate(
        { 'link.hash': hash, 'link.usedAt': null, 'link.expiresAt': { $gt: now }, status: 'ready' },
        { $set: { 'link.usedAt': now, status: 'downloaded', archive: null } },
        { new: false, projection: VIEW },
      )
      .lean();
    return doc ? toExport(doc) : null;
  }

  /** Archives whose link expired unused are deleted; resolves how many. */
  async expireArchives(now: Date): Promise<number> {
    const result = await this.exports.updateMany(
      { status: 'ready', 'link.expiresAt': { $lte: now } },
      { $set: { status: 'expired', archive: null } },
    );
    return result.modifiedCount;
  }

  /** Finished exports older than the once-a-day window: nothing of them is needed any more. */
  async removeFinishedBefore(before: Date): Promise<number> {
    await this.slots.deleteMany({ requestedAt: { $lte: before } });
    const result = await this.exports.deleteMany({
      requestedAt: { $lte: before },
      status: { $in: ['failed', 'downloaded', 'expired'] },
      'outbox.0': { $exists: false },
    });
    return result.deletedCount;
  }

  /** What a purge of the account removes. */
  async removeAllOf(userId: string): Promise<number> {
    await this.slots.deleteOne({ _id: userId });
    const result = await this.exports.deleteMany({ userId });
    return result.deletedCount;
  }
}
