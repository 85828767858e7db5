import { defineTemplate } from '../localized-template';

export const accountDeleted = defineTemplate('account-deleted', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Your ${brand.name} account has been deleted`,
    preview: 'This is the last email you will get from us.',
    heading: 'Your account has been deleted',
    paragraphs: [
      `As you asked, your ${brand.name} account and the data it held have been deleted. This is the last email you will receive about it.`,
      `You are welcome back at any time with a new account.`,
    ],
    notes: [`Questions about the deletion? Write to ${brand.supportEmail}.`],
  }),
});
