import { defineTemplate } from '../localized-template';

// Why the account went, as the start of the sentence that says so: the owner may not have asked.
const BECAUSE = {
  requested: 'As you asked',
  inactivity: 'As we wrote to you, because nobody had signed in to it for a long time',
  unverified: 'Because its email address was never confirmed',
} as const;

export const accountDeleted = defineTemplate('account-deleted', {
  slots: (variables) => ({ because: BECAUSE[variables.reason] }),
  content: (slots, brand) => ({
    subject: `Your ${brand.name} account has been deleted`,
    preview: 'This is the last email you will get from us.',
    heading: 'Your account has been deleted',
    paragraphs: [
      `${slots.because}, your ${brand.name} account and the data it held have been deleted. This is the last email you will receive about it.`,
      `You are welcome back at any time with a new account.`,
    ],
    notes: [`Questions about the deletion? Write to ${brand.supportEmail}.`],
  }),
});
