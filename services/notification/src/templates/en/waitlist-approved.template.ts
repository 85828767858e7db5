import { defineTemplate } from '../localized-template';

export const waitlistApproved = defineTemplate('waitlist-approved', {
  slots: (variables, format, now) => ({
    inviteLink: variables.inviteLink,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Your invitation to ${brand.name}`,
    preview: 'Your place is ready: create your account.',
    heading: 'You are invited',
    paragraphs: [`Your wait is over: a place at ${brand.name} is ready for you. Create your account with the link below.`],
    action: { label: 'Create my account', url: slots.inviteLink },
    notes: [`The invitation works once and expires ${slots.expiresIn} (${slots.expiresAt}).`],
  }),
});
