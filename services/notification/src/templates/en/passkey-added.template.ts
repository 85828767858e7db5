import { defineTemplate } from '../localized-template';

export const passkeyAdded = defineTemplate('passkey-added', {
  slots: (variables) => ({ name: variables.name }),
  content: (slots, brand) => ({
    subject: `A passkey was added to your ${brand.name} account`,
    preview: `The passkey "${slots.name}" can now sign in to your account.`,
    heading: 'A passkey was added',
    paragraphs: [
      `The passkey "${slots.name}" was added to your ${brand.name} account: it can now sign in without your password.`,
      'You can see and remove your passkeys on your account page.',
    ],
    notes: [`If it was not you, remove the passkey, reset your password now and write to ${brand.supportEmail}.`],
  }),
});
