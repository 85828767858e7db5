import { z } from 'zod';
import { EmailAddress, Timestamp, UserId } from '../fields';

export const DataExportId = z.uuid().describe('The export request, chosen by identity; every part and outcome names it.');

export const DataExportRequestedV1 = z.object({
  exportId: DataExportId,
  userId: UserId,
  email: EmailAddress.describe("The account's address, so participants can find records keyed by email."),
  deadline: Timestamp.describe('Parts that arrive later are not in the archive; the export fails naming who did not answer.'),
});
export type DataExportRequestedV1 = z.output<typeof DataExportRequestedV1>;
