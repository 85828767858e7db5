import { z } from 'zod';
import { EmailAddress, LanguageTag, UserId } from '../fields';
import { EmailTemplate } from './email-template';

/**
 * The variables that are links, in any template. Some carry a token (verification, reset, invite)
 * and all of them take the reader somewhere: they travel only in `sealedVariables`, so whoever can
 * read the topic learns no token and whoever can write to it cannot put a link of their own in our
 * emails.
 */
export const SEALED_EMAIL_VARIABLES = ['link', 'cancelLink', 'signInLink', 'inviteLink'] as const;

/**
 * What a sealed variable is bound to (the sealer's context): a value copied into a request for
 * another template, recipient or variable does not open. The recipient is compared lower-cased, as
 * mail systems treat the domain and nearly all of them the local part.
 */
export function sealedEmailVariableContext(template: string, to: string, variable: string): string {
  return `notification.email-requests.v1/${template}/${to.toLowerCase()}/${variable}`;
}

/** Private: this event never leaves its topic. */
export const EmailRequestedV1 = z.object({
  template: EmailTemplate,
  to: EmailAddress.describe('Recipient address.'),
  locale: LanguageTag.default('en').describe(
    "BCP 47 language tag: identity sends the recipient account's locale (or a waitlist entry's). A language without templates falls back to English.",
  ),
  variables: z
    .record(z.string(), z.string())
    .describe(
      `Template variables in clear, e.g. an expiry date. Never a link (${SEALED_EMAIL_VARIABLES.join(', ')}): notification refuses a request with one here.`,
    ),
  sealedVariables: z
    .record(z.string(), z.string())
    .default({})
    .describe(
      'Template variables sealed with EMAIL_LINK_KEYS, a key ring only identity and notification hold (not either data key): ' +
        `every link (${SEALED_EMAIL_VARIABLES.join(', ')}), tokens included. AES-256-GCM (the chassis sealer, v2.<keyId>.<iv>.<tag>.<ciphertext>) ` +
        'bound to notification.email-requests.v1/<template>/<recipient lower-cased>/<variable>; one that does not open ends the request as EmailFailed rendering_failed.',
    ),
  userId: UserId.optional().describe('The user the email is about, so notification can erase it on UserDeleted.'),
});
export type EmailRequestedV1 = z.output<typeof EmailRequestedV1>;
