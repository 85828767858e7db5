import { defineTemplate } from '../localized-template';

export const emailChanged = defineTemplate('email-changed', {
  slots: (variables, format, now) => ({
    newEmail: variables.newEmail,
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `The email address of your ${brand.name} account was changed`,
    preview: 'If it was not you, take your account back with the link inside.',
    heading: 'Your email address was changed',
    paragraphs: [
      `Your ${brand.name} account now uses ${slots.newEmail}; this address no longer receives its emails.`,
      'If it was you, there is nothing more to do.',
    ],
    action: { label: 'This was not me: restore my address', url: slots.link },
    notes: [
      `The link restores this address, signs out every session and asks for a new password. It works once and expires ${slots.expiresIn} (${slots.expiresAt}).`,
    ],
  }),
});
