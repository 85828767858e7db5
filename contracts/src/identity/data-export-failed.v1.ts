import { z } from 'zod';
import { UserId } from '../fields';
import { DataExportId } from './data-export-requested.v1';
import { ParticipantName } from './data-export-part-ready.v1';

export const DataExportFailedV1 = z.object({
  exportId: DataExportId,
  userId: UserId,
  missing: z
    .array(ParticipantName)
    .min(1)
    .describe('The participants whose part had not arrived by the deadline, or was not valid JSON of its schema.'),
});
export type DataExportFailedV1 = z.output<typeof DataExportFailedV1>;
