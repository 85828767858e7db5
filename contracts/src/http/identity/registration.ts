import { z } from 'zod';
import { Locale } from '../../fields';
import { defineOperations } from '../operation';
import { EmailedToken, Email, NewPassword } from './fields';

export const RegisterBody = z.object({
  email: Email,
  password: NewPassword,
  inviteToken: EmailedToken.optional().describe('The token from a waitlist invite link; required when registration is by invitation.'),
  locale: Locale.optional().describe(
    "The account's language, for its emails: a page sends its own. Without it, the request's Accept-Language header is negotiated against the supported list, and English is the last resort. An unsupported value is refused (400), not guessed at.",
  ),
});
export type RegisterBody = z.infer<typeof RegisterBody>;

/** The same 201 and body whether the address was new or taken: the owner learns the rest by email. */
export const Registered = z.object({ status: z.literal('verification_pending'), message: z.string() });
export type Registered = z.infer<typeof Registered>;

export const registrationOperations = defineOperations([
  {
    operationId: 'register',
    method: 'post',
    path: '/auth/register',
    service: 'identity',
    summary: 'Create an account',
    description:
      'Answers the same for a new and a taken address; the owner of the address learns the rest by email, in their own locale. The new account takes `locale`, else the best match of `Accept-Language`, else `en`.',
    tags: ['auth'],
    security: 'none',
    body: { json: RegisterBody },
    responses: { 201: { description: 'Registered, or the address was taken: check the inbox.', body: Registered } },
    errors: [
      'validation_failed',
      'password_breached',
      'captcha_failed',
      'invite_required',
      'invite_mismatch',
      'token_malformed',
      'token_invalid',
      'token_used',
      'token_expired',
      'service_unavailable',
    ],
    rateLimit: 'register',
  },
]);
