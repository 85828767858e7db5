import { z } from 'zod';
import { Message } from '../common';
import { defineOperations } from '../operation';
import { EmailedToken, Email, NewPassword } from './fields';

export const RequestPasswordResetBody = z.object({ email: Email });
export const ResetPasswordBody = z.object({ token: EmailedToken, newPassword: NewPassword });
// The current password is checked, not policed: it may predate the policy. The cap bounds the work.
export const ChangePasswordBody = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: NewPassword });

export const passwordOperations = defineOperations([
  {
    operationId: 'requestPasswordReset',
    method: 'post',
    path: '/auth/request-password-reset',
    service: 'identity',
    summary: 'Email a password-reset link',
    description: 'Answers the same for known and unknown addresses.',
    tags: ['auth'],
    security: 'none',
    body: { json: RequestPasswordResetBody },
    responses: { 202: { description: 'If the address has an account, a link is on its way.', body: Message } },
    rateLimit: 'request-password-reset',
  },
  {
    operationId: 'resetPassword',
    method: 'post',
    path: '/auth/reset-password',
    service: 'identity',
    summary: 'Set a new password with the token from the emailed link',
    description: 'Ends every session of the account.',
    tags: ['auth'],
    security: 'none',
    body: { json: ResetPasswordBody },
    responses: { 200: { description: 'The password is reset.', body: Message } },
    errors: ['validation_failed', 'password_breached', 'token_malformed', 'token_invalid', 'token_expired', 'token_used'],
    rateLimit: 'reset-password',
  },
  {
    operationId: 'changePassword',
    method: 'post',
    path: '/auth/change-password',
    service: 'identity',
    summary: 'Change the password, knowing the current one',
    description: 'Ends every other session of the account.',
    tags: ['auth'],
    security: 'bearer',
    body: { json: ChangePasswordBody },
    responses: { 200: { description: 'The password is changed.', body: Message } },
    errors: ['validation_failed', 'password_breached', 'invalid_credentials', 'account_locked', 'captcha_required', 'conflict'],
  },
]);
