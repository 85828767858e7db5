import { defineTemplate } from '../localized-template';

export const passwordReset = defineTemplate('password-reset', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Reset your ${brand.name} password`,
    preview: 'Choose a new password with the link inside.',
    heading: 'Reset your password',
    paragraphs: [
      `Someone asked to reset the password of the ${brand.name} account with this address. If it was you, choose a new password.`,
    ],
    action: { label: 'Choose a new password', url: slots.link },
    notes: [
      `The link works once and expires ${slots.expiresIn} (${slots.expiresAt}).`,
      'If you did not ask for it, ignore this email: your password stays as it is.',
    ],
  }),
});
