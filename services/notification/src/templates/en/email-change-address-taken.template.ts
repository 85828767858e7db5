import { defineTemplate } from '../localized-template';

export const emailChangeAddressTaken = defineTemplate('email-change-address-taken', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Someone tried to move a ${brand.name} account to your address`,
    preview: 'Your account is unchanged.',
    heading: 'Your address is already in use',
    paragraphs: [
      `Someone asked to change the email address of another ${brand.name} account to this address. It is already yours, so nothing changed and they were not told.`,
    ],
    notes: [`If you know nothing of it, there is nothing to do. Questions? Write to ${brand.supportEmail}.`],
  }),
});
