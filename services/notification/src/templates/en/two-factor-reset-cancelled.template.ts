import { defineTemplate } from '../localized-template';

export const twoFactorResetCancelled = defineTemplate('two-factor-reset-cancelled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `The two-factor reset of your ${brand.name} account is cancelled`,
    preview: 'Two-factor authentication stays on.',
    heading: 'Two-factor reset cancelled',
    paragraphs: [
      `The pending reset of two-factor authentication for your ${brand.name} account is cancelled, from a signed-in session or by a password change. Two-factor authentication stays on.`,
    ],
    notes: [
      `If you did not cancel it and still need the reset, ask for a new one when you sign in. Questions? Write to ${brand.supportEmail}.`,
    ],
  }),
});
