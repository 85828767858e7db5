import { defineTemplate } from '../localized-template';

export const accountLocked = defineTemplate('account-locked', {
  slots: (variables, format, now) => ({
    lockedUntil: format.dateTime(variables.lockedUntil),
    resumesIn: format.timeUntil(variables.lockedUntil, now),
  }),
  content: (slots, brand) => ({
    subject: `Sign-in to your ${brand.name} account is paused`,
    preview: `Sign-in resumes ${slots.resumesIn}.`,
    heading: 'Sign-in is paused',
    paragraphs: [
      `There were too many failed attempts to sign in to your ${brand.name} account, so sign-in is paused until ${slots.lockedUntil}.`,
      'If it was you, wait until then and try again, or reset your password if you have forgotten it.',
    ],
    notes: ['If it was not you, someone may be guessing your password: once sign-in resumes, consider resetting it to a long, unique one.'],
  }),
});
