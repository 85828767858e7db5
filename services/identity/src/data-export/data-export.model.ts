import { Schema, type Connection, type Model } from 'mongoose';
import { outboxEntrySchema, type OutboxEntry } from '@solar/chassis';

type DataExportStatus = 'pending' | 'ready' | 'failed' | 'downloaded' | 'expired';

export interface DataExportLink {
  /** SHA-256 of the token; the token itself goes only into the (sealed) email request. */
  hash: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/**
 * One data export. Parts and the archive are personal data, so both are sealed with
 * DATA_ENCRYPTION_KEYS, bound to this export; the parts go once the archive is built, the archive once
 * it is downloaded or its link expires (the expire-data-exports task, since TTL indexes are not relied on).
 */
export interface DataExportDocument {
  _id: string;
  userId: string;
  /** The admin who started it for the user; null when the user asked. */
  startedBy: string | null;
  requestedAt: Date;
  deadline: Date;
  participants: string[];
  status: DataExportStatus;
  /** Sealed pieces of each participant's part: parts[service][chunk]. */
  parts: Record<string, Record<string, string>>;
  /** How many pieces each participant announced. */
  chunks: Record<string, number>;
  /** The sealed zip, base64 inside. */
  archive: string | null;
  link: DataExportLink | null;
  finishedAt: Date | null;
  outbox: OutboxEntry[];
}

const linkSchema = new Schema<DataExportLink>(
  { hash: { type: String, required: true }, expiresAt: { type: Date, required: true }, usedAt: { type: Date, default: null } },
  { _id: false },
);

const dataExportSchema = new Schema<DataExportDocument>(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    startedBy: { type: String, default: null },
    requestedAt: { type: Date, required: true },
    deadline: { type: Date, required: true },
    participants: { type: [String], required: true },
    status: { type: String, required: true, enum: ['pending', 'ready', 'failed', 'downloaded', 'expired'] },
    parts: { type: Schema.Types.Mixed, default: {} },
    chunks: { type: Schema.Types.Mixed, default: {} },
    archive: { type: String, default: null },
    link: { type: linkSchema, default: null },
    finishedAt: { type: Date, default: null },
    outbox: { type: [outboxEntrySchema], default: [] },
  },
  { collection: 'data_exports', versionKey: false, minimize: false },
);
dataExportSchema.index({ userId: 1, requestedAt: -1 });
dataExportSchema.index({ status: 1, deadline: 1 });
dataExportSchema.index({ 'link.hash': 1 }, { sparse: true });
dataExportSchema.index({ 'outbox.createdAt': 1 });

export const dataExportModel = (db: Connection): Model<DataExportDocument> => db.model<DataExportDocument>('DataExport', dataExportSchema);

/**
 * A user's once-a-day window, one document per user: claimed by one conditional write (an upsert that
 * meets the unique _id), so two requests at once cannot both start an export.
 */
export interface DataExportSlotDocument {
  /** The user id. */
  _id: string;
  requestedAt: Date;
}

const dataExportSlotSchema = new Schema<DataExportSlotDocument>(
  { _id: { type: String, required: true }, requestedAt: { type: Date, required: true } },
  { collection: 'data_export_slots', versionKey: false },
);
dataExportSlotSchema.index({ requestedAt: 1 });

export const dataExportSlotModel = (db: Connection): Model<DataExportSlotDocument> =>
  db.model<DataExportSlotDocument>('DataExportSlot', dataExportSlotSchema);
