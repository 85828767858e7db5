import { defineTemplate } from '../localized-template';

export const emailChangeRequested = defineTemplate('email-change-requested', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Confirm your new ${brand.name} email address`,
    preview: 'Open the link inside to use this address for your account.',
    heading: 'Confirm your new email address',
    paragraphs: [`Someone asked to use this address for their ${brand.name} account. If it was you, confirm the change.`],
    action: { label: 'Use this address', url: slots.link },
    notes: [
      `The link works once and expires ${slots.expiresIn} (${slots.expiresAt}).`,
      'If you did not ask for it, ignore this email: nothing changes.',
    ],
  }),
});
