import { defineTemplate } from '../localized-template';

export const verifyEmail = defineTemplate('verify-email', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Bestätigen Sie Ihre E-Mail-Adresse für ${brand.name}`,
    preview: 'Ein Klick, und Ihr Konto ist eingerichtet.',
    heading: 'Bestätigen Sie Ihre E-Mail-Adresse',
    paragraphs: [
      `Willkommen bei ${brand.name}. Bestätigen Sie, dass diese Adresse Ihnen gehört, um die Einrichtung Ihres Kontos abzuschließen.`,
    ],
    action: { label: 'E-Mail-Adresse bestätigen', url: slots.link },
    notes: [
      `Der Link kann einmal verwendet werden und läuft ${slots.expiresIn} ab (${slots.expiresAt}).`,
      'Falls Sie sich nicht registriert haben, ignorieren Sie diese E-Mail: Ohne diese Bestätigung wird kein Konto angelegt.',
    ],
  }),
});
