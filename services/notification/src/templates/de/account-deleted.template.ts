import { defineTemplate } from '../localized-template';

// Why the account went, as the start of the sentence that says so: the owner may not have asked.
const BECAUSE = {
  requested: 'Wie von Ihnen gewünscht',
  inactivity: 'Wie angekündigt und weil sich lange niemand angemeldet hatte',
  unverified: 'Weil die E-Mail-Adresse nie bestätigt wurde',
} as const;

export const accountDeleted = defineTemplate('account-deleted', {
  slots: (variables) => ({ because: BECAUSE[variables.reason] }),
  content: (slots, brand) => ({
    subject: `Ihr Konto bei ${brand.name} wurde gelöscht`,
    preview: 'Dies ist die letzte E-Mail, die Sie von uns erhalten.',
    heading: 'Ihr Konto wurde gelöscht',
    paragraphs: [
      `${slots.because}, wurden Ihr Konto bei ${brand.name} und die darin gespeicherten Daten gelöscht. Dies ist die letzte E-Mail, die Sie dazu erhalten.`,
      'Mit einem neuen Konto sind Sie jederzeit wieder willkommen.',
    ],
    notes: [`Fragen zur Löschung? Schreiben Sie an ${brand.supportEmail}.`],
  }),
});
