import { defineTemplate } from '../localized-template';

export const inactiveAccountWarning = defineTemplate('inactive-account-warning', {
  slots: (variables, format, now) => ({
    signInLink: variables.signInLink,
    signInBy: format.dateTime(variables.signInBy),
    signInWithin: format.timeUntil(variables.signInBy, now),
  }),
  content: (slots, brand) => ({
    subject: `Your unused ${brand.name} account will be scheduled for deletion`,
    preview: `Sign in before ${slots.signInBy} to keep it.`,
    heading: 'We have not seen you in a while',
    paragraphs: [
      `Nobody has signed in to your ${brand.name} account for a long time. Accounts that stay unused are deleted, so we do not keep data nobody needs.`,
      `To keep your account, sign in before ${slots.signInBy} (${slots.signInWithin}). If you do not, we will schedule its deletion and write to you again; you can still cancel then.`,
    ],
    action: { label: 'Sign in to keep my account', url: slots.signInLink },
    notes: [`If you no longer need the account, you need not do anything. Questions? Write to ${brand.supportEmail}.`],
  }),
});
