import { defineTemplate } from '../localized-template';

export const twoFactorDisabled = defineTemplate('two-factor-disabled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Two-factor authentication is off for your ${brand.name} account`,
    preview: 'Sign-in now asks for your password only.',
    heading: 'Two-factor authentication is off',
    paragraphs: [
      `Signing in to your ${brand.name} account no longer asks for a code from your authenticator app, only for your password.`,
      'We recommend turning it back on in your account settings.',
    ],
    notes: [`If it was not you, reset your password now, turn two-factor authentication back on, and write to ${brand.supportEmail}.`],
  }),
});
