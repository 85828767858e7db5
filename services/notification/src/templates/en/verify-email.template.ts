import { defineTemplate } from '../localized-template';

export const verifyEmail = defineTemplate('verify-email', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Confirm your email address for ${brand.name}`,
    preview: 'One click to finish setting up your account.',
    heading: 'Confirm your email address',
    paragraphs: [`Welcome to ${brand.name}. Confirm that this address is yours to finish setting up your account.`],
    action: { label: 'Confirm email address', url: slots.link },
    notes: [
      `The link works once and expires ${slots.expiresIn} (${slots.expiresAt}).`,
      'If you did not sign up, ignore this email: no account is created without this confirmation.',
    ],
  }),
});
