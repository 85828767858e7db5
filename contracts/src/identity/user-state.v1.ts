import { z } from 'zod';
import { EmailAddress, LanguageTag, Timestamp, UserId } from '../fields';

/**
 * The public projection of one account, as it stands after its latest change. Published on the
 * compacted identity.user-state.v1 topic keyed by user id; a record with a null value (a tombstone)
 * follows UserDeleted, so the topic read from the start holds exactly the accounts that exist.
 */
export const UserStateV1 = z.object({
  id: UserId,
  email: EmailAddress,
  emailVerified: z.boolean(),
  roles: z.array(z.string().min(1)),
  displayName: z.string().nullable(),
  locale: LanguageTag,
  twoFactorEnabled: z.boolean(),
  disabled: z.boolean().optional().describe('True while an admin has the account disabled; absent on records published before it existed.'),
  pendingDeletion: z
    .object({ purgeAt: Timestamp.describe('When the account is purged unless the deletion is cancelled.') })
    .nullable()
    .describe('Null unless a deletion is pending.'),
  createdAt: Timestamp.describe('When the account registered.'),
});
export type UserStateV1 = z.output<typeof UserStateV1>;
