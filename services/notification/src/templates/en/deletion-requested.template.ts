import { defineTemplate } from '../localized-template';

export const deletionRequested = defineTemplate('deletion-requested', {
  slots: (variables, format, now) => ({
    cancelLink: variables.cancelLink,
    purgeAt: format.dateTime(variables.purgeAt),
    purgeIn: format.timeUntil(variables.purgeAt, now),
  }),
  content: (slots, brand) => ({
    subject: `Your ${brand.name} account will be deleted on ${slots.purgeAt}`,
    preview: 'You can still keep it: cancel the deletion before then.',
    heading: 'Your account is scheduled for deletion',
    paragraphs: [
      `You asked us to delete your ${brand.name} account. It will be deleted ${slots.purgeIn}, on ${slots.purgeAt}, together with everything we hold about you.`,
      'Until then you can change your mind: cancel the deletion and your account stays as it is.',
    ],
    action: { label: 'Keep my account', url: slots.cancelLink },
    notes: [
      'You can also sign in and cancel the deletion from your account settings.',
      `If you did not ask for this, cancel the deletion, reset your password, and write to ${brand.supportEmail}.`,
    ],
  }),
});
