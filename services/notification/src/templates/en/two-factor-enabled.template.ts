import { defineTemplate } from '../localized-template';

export const twoFactorEnabled = defineTemplate('two-factor-enabled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Two-factor authentication is on for your ${brand.name} account`,
    preview: 'Sign-in now asks for a code from your authenticator app.',
    heading: 'Two-factor authentication is on',
    paragraphs: [
      `Signing in to your ${brand.name} account now needs a code from your authenticator app as well as your password.`,
      'Keep your recovery codes somewhere safe: they are the way back in if you lose your phone.',
    ],
    notes: [`If it was not you, reset your password now and write to ${brand.supportEmail}.`],
  }),
});
