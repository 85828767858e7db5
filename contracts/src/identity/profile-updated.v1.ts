import { z } from 'zod';
import { LanguageTag, UserId } from '../fields';

/** Only the fields the update set are present, so the event is written with the change, without reading the account first. */
export const ProfileUpdatedV1 = z.object({
  userId: UserId,
  displayName: z.string().nullable().optional().describe('The new display name, null when it was cleared; absent when unchanged.'),
  locale: LanguageTag.optional().describe("The account's new language; absent when unchanged."),
});
export type ProfileUpdatedV1 = z.output<typeof ProfileUpdatedV1>;
