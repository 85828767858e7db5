import { defineTemplate } from '../localized-template';

export const registrationAttempt = defineTemplate('registration-attempt', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Someone tried to sign up to ${brand.name} with your address`,
    preview: 'This address already has an account.',
    heading: 'Someone tried to sign up with your address',
    paragraphs: [
      `Someone just tried to create a ${brand.name} account with this email address, which already has an account.`,
      'If it was you, sign in instead, or reset your password if you have forgotten it.',
    ],
    notes: ['If it was not you, nothing has changed and you need not do anything.'],
  }),
});
