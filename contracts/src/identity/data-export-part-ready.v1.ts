import { z } from 'zod';
import { DataExportId } from './data-export-requested.v1';

/** Service names are what the archive names its files after: `<service>.json`. */
export const ParticipantName = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,39}$/)
  .describe('The participating service, lower-case kebab-case (its file in the archive).');

/** Characters, not bytes: at up to 3 bytes each in UTF-8 a piece stays well under Kafka's default 1 MB message limit. */
export const DATA_EXPORT_CHUNK_CHARS = 128 * 1024;

export const DataExportPartReadyV1 = z.object({
  exportId: DataExportId,
  service: ParticipantName,
  chunk: z.number().int().min(0).describe('Position of this piece of the part, from 0.'),
  chunks: z.number().int().min(1).max(64).describe('How many pieces the part was cut into; the part is complete when all are in.'),
  part: z
    .string()
    .max(DATA_EXPORT_CHUNK_CHARS)
    .describe("A piece of the JSON text of the service's data about the user; the pieces joined in order parse as one object."),
});
export type DataExportPartReadyV1 = z.output<typeof DataExportPartReadyV1>;
