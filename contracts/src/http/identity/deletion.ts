import { z } from 'zod';
import { DeletionReason, Timestamp } from '../../fields';

/*
 * Bodies of identity's deletion routes (`POST /auth/request-deletion`, `POST /auth/cancel-deletion`,
 * and the `deletion` member of `GET /users/me`), for the OpenAPI registry to describe.
 */

// The password is checked, not policed: it may predate the policy. The cap bounds the argon2 work.
export const RequestDeletionBody = z.object({ password: z.string().min(1).max(1024) }).strict();
export type RequestDeletionBody = z.output<typeof RequestDeletionBody>;

/** A pending deletion as its owner sees it; `null` in the profile when none is pending. */
export const PendingDeletionView = z.object({
  requestedAt: Timestamp,
  purgeAt: Timestamp.describe('When the account and its data are deleted unless the deletion is cancelled first.'),
  reason: DeletionReason.exclude(['unverified']).describe('requested: the owner asked; inactivity: no sign-in for too long.'),
});
export type PendingDeletionView = z.output<typeof PendingDeletionView>;

/**
 * The answer to request-deletion: 202 with the new pending deletion, or 200 with the one already
 * pending (a repeated request changes nothing and announces nothing).
 */
export const RequestDeletionResponse = z.object({ deletion: PendingDeletionView, message: z.string() });
export type RequestDeletionResponse = z.output<typeof RequestDeletionResponse>;

/** The answer to cancel-deletion (200); 409 `conflict` when no deletion is pending. */
export const CancelDeletionResponse = z.object({ deletion: z.null(), message: z.string() });
export type CancelDeletionResponse = z.output<typeof CancelDeletionResponse>;
