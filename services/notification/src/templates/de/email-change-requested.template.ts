import { defineTemplate } from '../localized-template';

export const emailChangeRequested = defineTemplate('email-change-requested', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Bestätigen Sie Ihre neue E-Mail-Adresse bei ${brand.name}`,
    preview: 'Öffnen Sie den Link, um diese Adresse für Ihr Konto zu verwenden.',
    heading: 'Neue E-Mail-Adresse bestätigen',
    paragraphs: [
      `Jemand möchte diese Adresse für sein Konto bei ${brand.name} verwenden. Wenn Sie das waren, bestätigen Sie die Änderung.`,
    ],
    action: { label: 'Diese Adresse verwenden', url: slots.link },
    notes: [
      `Der Link kann einmal verwendet werden und läuft ${slots.expiresIn} ab (${slots.expiresAt}).`,
      'Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Es ändert sich nichts.',
    ],
  }),
});
