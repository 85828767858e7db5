import { z } from 'zod';
import { Message } from '../common';
import { defineOperations } from '../operation';
import { Email, EmailedToken } from './fields';
import { TotpCode } from './two-factor';

/** The current password always; the authenticator code too when two-factor is on (ignored otherwise). */
export const RequestEmailChangeBody = z.object({
  newEmail: Email,
  password: z.string().min(1).max(1024).describe("The account's current password."),
  code: TotpCode.optional().describe('A current code from the authenticator app; required when two-factor is on.'),
});
export type RequestEmailChangeBody = z.output<typeof RequestEmailChangeBody>;
export const ConfirmEmailChangeBody = z.object({ token: EmailedToken });
export const UndoEmailChangeBody = z.object({ token: EmailedToken });

const TOKEN_ERRORS = ['validation_failed', 'token_malformed', 'token_invalid', 'token_expired', 'token_used', 'conflict'] as const;

export const emailChangeOperations = defineOperations([
  {
    operationId: 'requestEmailChange',
    method: 'post',
    path: '/auth/request-email-change',
    service: 'identity',
    summary: 'Email a confirmation link to a new address',
    description:
      'Answers the same whether the new address is free or already has an account (whose owner is told instead). A new request replaces the one before.',
    tags: ['auth'],
    security: 'bearer',
    body: { json: RequestEmailChangeBody },
    responses: { 202: { description: 'If the address can be used, a link is on its way to it.', body: Message } },
    errors: ['validation_failed', 'invalid_credentials', 'invalid_code', 'account_locked', 'captcha_required'],
    rateLimit: 'request-email-change',
  },
  {
    operationId: 'confirmEmailChange',
    method: 'post',
    path: '/auth/confirm-email-change',
    service: 'identity',
    summary: 'Switch to the new address with the token from the link sent to it',
    description: 'The previous address is told, with a link that restores it for 7 days.',
    tags: ['auth'],
    security: 'none',
    body: { json: ConfirmEmailChangeBody },
    responses: { 200: { description: 'The address is changed.', body: Message } },
    errors: [...TOKEN_ERRORS],
    rateLimit: 'confirm-email-change',
  },
  {
    operationId: 'undoEmailChange',
    method: 'post',
    path: '/auth/undo-email-change',
    service: 'identity',
    summary: 'Restore the previous address with the token from the notice sent to it',
    description: 'Ends every session and replaces the password; a link to choose a new one goes to the restored address.',
    tags: ['auth'],
    security: 'none',
    body: { json: UndoEmailChangeBody },
    responses: { 200: { description: 'The address is restored.', body: Message } },
    errors: [...TOKEN_ERRORS],
    rateLimit: 'undo-email-change',
  },
]);
