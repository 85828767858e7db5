import { defineTemplate } from '../localized-template';

export const passwordChanged = defineTemplate('password-changed', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Your ${brand.name} password was changed`,
    preview: 'Your other sessions were signed out.',
    heading: 'Your password was changed',
    paragraphs: [
      `The password of your ${brand.name} account was just changed, and your other sessions were signed out.`,
      'If it was you, there is nothing more to do.',
    ],
    notes: [
      `If it was not you, reset your password now with "Forgot password" on the sign-in page, check the sessions and activity in your account settings, and write to ${brand.supportEmail}.`,
    ],
  }),
});
