import { defineTemplate } from '../localized-template';

export const twoFactorResetScheduled = defineTemplate('two-factor-reset-scheduled', {
  slots: (variables, format, now) => ({
    cancelLink: variables.cancelLink,
    effectiveAt: format.dateTime(variables.effectiveAt),
    effectiveIn: format.timeUntil(variables.effectiveAt, now),
  }),
  content: (slots, brand) => ({
    subject: `Two-factor authentication for your ${brand.name} account will be turned off on ${slots.effectiveAt}`,
    preview: 'If this was not you, sign in and cancel it, then change your password.',
    heading: 'Two-factor authentication will be turned off',
    paragraphs: [
      `A reset of two-factor authentication was confirmed for your ${brand.name} account. It takes effect ${slots.effectiveIn}, on ${slots.effectiveAt}: from then, signing in with the password alone turns two-factor authentication off.`,
      'If this was not you, sign in and cancel the reset before then, and change your password: whoever asked for it knows it.',
    ],
    action: { label: 'Cancel the reset', url: slots.cancelLink },
    notes: [
      'Changing your password also cancels the reset.',
      `If it was you, there is nothing to do: sign in after that time. Questions? Write to ${brand.supportEmail}.`,
    ],
  }),
});
