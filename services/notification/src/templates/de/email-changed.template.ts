import { defineTemplate } from '../localized-template';

export const emailChanged = defineTemplate('email-changed', {
  slots: (variables, format, now) => ({
    newEmail: variables.newEmail,
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Die E-Mail-Adresse Ihres Kontos bei ${brand.name} wurde geändert`,
    preview: 'Falls Sie das nicht waren, holen Sie Ihr Konto mit dem Link zurück.',
    heading: 'Ihre E-Mail-Adresse wurde geändert',
    paragraphs: [
      `Ihr Konto bei ${brand.name} verwendet jetzt ${slots.newEmail}; an diese Adresse gehen keine E-Mails des Kontos mehr.`,
      'Wenn Sie das waren, müssen Sie nichts weiter tun.',
    ],
    action: { label: 'Das war ich nicht: Adresse wiederherstellen', url: slots.link },
    notes: [
      `Der Link stellt diese Adresse wieder her, meldet alle Sitzungen ab und verlangt ein neues Passwort. Er kann einmal verwendet werden und läuft ${slots.expiresIn} ab (${slots.expiresAt}).`,
    ],
  }),
});
