import { z } from 'zod';
import { Locale } from '../../fields';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';
import { PendingDeletionView } from './deletion';

// C0/C1 controls, and the bidirectional overrides that make a name display as something it is not.
const UNPRINTABLE = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

export const DisplayName = z
  .string()
  .trim()
  .min(1, 'must not be empty; send null to clear it')
  // Counted in characters as people see them (code points), not UTF-16 units.
  .refine((name) => [...name].length <= 100, 'must be at most 100 characters')
  .refine((name) => !UNPRINTABLE.test(name), 'must not contain control characters')
  .describe('At most 100 characters, no control characters.');

/** Strict: a misspelled or unsupported field is refused rather than silently ignored. */
export const UpdateProfileBody = z
  .object({
    displayName: DisplayName.nullable().optional(),
    locale: Locale.optional().describe('The language of the emails the account gets from now on.'),
  })
  .strict()
  .refine((body) => body.displayName !== undefined || body.locale !== undefined, 'must change displayName, locale or both');
export type UpdateProfileBody = z.infer<typeof UpdateProfileBody>;

/** The account as its owner sees it. */
export const Profile = z.object({
  id: z.string(),
  email: z.string(),
  emailVerified: z.boolean(),
  emailVerifiedAt: IsoTime.nullable(),
  displayName: z.string().nullable(),
  locale: Locale.describe('The language of the emails the account gets; `en` for accounts older than the setting.'),
  roles: z.array(z.string()),
  createdAt: IsoTime,
  deletion: PendingDeletionView.nullable().describe('The pending deletion, or null when none is.'),
  passwordBreached: z
    .boolean()
    .describe('A sign-in found the password in the Pwned Passwords corpus: ask for a new one. Cleared by a change or reset.'),
});
export type Profile = z.infer<typeof Profile>;

export const profileOperations = defineOperations([
  {
    operationId: 'getProfile',
    method: 'get',
    path: '/users/me',
    service: 'identity',
    summary: 'The signed-in account',
    tags: ['users'],
    security: 'bearer',
    providerScopes: ['profile', 'email'],
    responses: { 200: { description: 'The account.', body: Profile } },
    errors: ['not_found'],
  },
  {
    operationId: 'updateProfile',
    method: 'patch',
    path: '/users/me',
    service: 'identity',
    summary: 'Change the display name or the language of the emails',
    tags: ['users'],
    security: 'bearer',
    body: { json: UpdateProfileBody },
    responses: { 200: { description: 'The account as changed.', body: Profile } },
    errors: ['not_found'],
  },
]);
