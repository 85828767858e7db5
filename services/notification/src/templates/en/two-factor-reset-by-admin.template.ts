import { defineTemplate } from '../localized-template';

export const twoFactorResetByAdmin = defineTemplate('two-factor-reset-by-admin', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Our support team turned off two-factor authentication for your ${brand.name} account`,
    preview: 'Sign-in now asks for your password only, and your recovery codes no longer work.',
    heading: 'Two-factor authentication was reset',
    paragraphs: [
      `At your request, our support team turned off two-factor authentication for your ${brand.name} account and removed its recovery codes. Signing in now asks for your password only.`,
      'Turn it back on in your account settings with your authenticator app: you get new recovery codes then.',
    ],
    notes: [`If you did not ask for this, reset your password now and write to ${brand.supportEmail}.`],
  }),
});
