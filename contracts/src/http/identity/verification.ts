import { z } from 'zod';
import { Message } from '../common';
import { defineOperations } from '../operation';
import { EmailedToken } from './fields';

export const VerifyEmailBody = z.object({ token: EmailedToken });
export const EmailVerified = z.object({ email: z.string(), emailVerified: z.literal(true) });
export type EmailVerified = z.infer<typeof EmailVerified>;

export const verificationOperations = defineOperations([
  {
    operationId: 'verifyEmail',
    method: 'post',
    path: '/auth/verify-email',
    service: 'identity',
    summary: 'Confirm an email address with the token from the emailed link',
    tags: ['auth'],
    security: 'none',
    body: { json: VerifyEmailBody },
    responses: { 200: { description: 'The address is verified.', body: EmailVerified } },
    errors: ['token_malformed', 'token_invalid', 'token_expired', 'token_used'],
    rateLimit: 'verify-email',
  },
  {
    operationId: 'sendVerification',
    method: 'post',
    path: '/auth/send-verification',
    service: 'identity',
    summary: 'Email a new verification link to the signed-in user',
    tags: ['auth'],
    security: 'bearer',
    responses: { 202: { description: 'A new link is on its way.', body: Message } },
    errors: ['conflict'],
    rateLimit: 'send-verification',
  },
]);
