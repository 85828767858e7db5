import { z } from 'zod';
import { DeletionReason } from '../../fields';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

/*
 * Identity's deletion routes (`POST /auth/request-deletion`, `POST /auth/cancel-deletion`) and the
 * `deletion` member of `GET /users/me`.
 */

// The password is checked, not policed: it may predate the policy. The cap bounds the argon2 work.
export const RequestDeletionBody = z.object({ password: z.string().min(1).max(1024) }).strict();
export type RequestDeletionBody = z.output<typeof RequestDeletionBody>;

/** A pending deletion as its owner sees it; `null` in the profile when none is pending. */
export const PendingDeletionView = z.object({
  requestedAt: IsoTime,
  purgeAt: IsoTime.describe('When the account and its data are deleted unless the deletion is cancelled first.'),
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

export const deletionOperations = defineOperations([
  {
    operationId: 'requestDeletion',
    method: 'post',
    path: '/auth/request-deletion',
    service: 'identity',
    summary: 'Schedule the account for deletion after the grace period',
    description:
      'The password is asked again; wrong ones count towards the sign-in lock. The account stays usable until `purgeAt` ' +
      '(DELETION_GRACE_PERIOD) and the owner can cancel until then. Asking again while a deletion is pending answers that ' +
      'deletion with 200 and announces nothing; 409 once the purge has begun.',
    tags: ['auth'],
    security: 'bearer',
    body: { json: RequestDeletionBody },
    responses: {
      202: { description: 'Scheduled: DeletionRequested is published and the owner is emailed.', body: RequestDeletionResponse },
      200: { description: 'A deletion was already pending; this is it, unchanged.', body: RequestDeletionResponse },
    },
    errors: ['validation_failed', 'invalid_credentials', 'account_locked', 'captcha_required', 'conflict'],
    rateLimit: 'request-deletion',
  },
  {
    operationId: 'cancelDeletion',
    method: 'post',
    path: '/auth/cancel-deletion',
    service: 'identity',
    summary: 'Keep the account: cancel its pending deletion',
    description: '409 when no deletion is pending or its purge has begun.',
    tags: ['auth'],
    security: 'bearer',
    responses: {
      200: { description: 'Cancelled: DeletionCancelled is published and the owner is emailed.', body: CancelDeletionResponse },
    },
    errors: ['conflict'],
    rateLimit: 'cancel-deletion',
  },
]);
