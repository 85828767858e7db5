import { defineTemplate } from '../localized-template';

export const twoFactorResetRequested = defineTemplate('two-factor-reset-requested', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Confirm the two-factor reset of your ${brand.name} account`,
    preview: 'Lost your authenticator app and recovery codes? Confirm with the link inside.',
    heading: 'Reset two-factor authentication',
    paragraphs: [
      `Someone signed in to your ${brand.name} account with its password and said the authenticator app and the recovery codes are lost. If it was you, confirm the reset.`,
      'Two-factor authentication is not turned off at once: after you confirm, there is a waiting period, and we will email you when it starts. Until it ends, you can cancel from any device where you are still signed in.',
    ],
    action: { label: 'Confirm the reset', url: slots.link },
    notes: [
      `The link works once and expires ${slots.expiresIn} (${slots.expiresAt}).`,
      'If you did not ask for it, do not confirm: someone knows your password. Change it now.',
    ],
  }),
});
