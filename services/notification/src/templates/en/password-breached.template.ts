import { defineTemplate } from '../localized-template';

export const passwordBreached = defineTemplate('password-breached', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Please choose a new password for ${brand.name}`,
    preview: 'Your password has appeared in a data breach elsewhere.',
    heading: 'Please choose a new password',
    paragraphs: [
      `Your password was just used to sign in to ${brand.name}, and it has appeared in a data breach of another site. Attackers try such passwords first, on every site they can.`,
      'Your account is fine, and nothing has changed: sign in and choose a new password from your account page, one you use nowhere else.',
    ],
    notes: [
      'We never learnt your password from the breach: we checked it against a list of breached passwords without sending it anywhere.',
      'If you use this password on other sites, change it there too.',
    ],
  }),
});
