import { z } from 'zod';
import { UserId } from '../fields';
import { DataExportId } from './data-export-requested.v1';
import { ParticipantName } from './data-export-part-ready.v1';

export const DataExportCompletedV1 = z.object({
  exportId: DataExportId,
  userId: UserId,
  services: z.array(ParticipantName).describe('The services whose parts are in the archive.'),
});
export type DataExportCompletedV1 = z.output<typeof DataExportCompletedV1>;
