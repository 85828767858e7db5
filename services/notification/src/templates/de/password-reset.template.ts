import { defineTemplate } from '../localized-template';

export const passwordReset = defineTemplate('password-reset', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Setzen Sie Ihr Passwort bei ${brand.name} zurück`,
    preview: 'Wählen Sie mit dem Link in dieser E-Mail ein neues Passwort.',
    heading: 'Passwort zurücksetzen',
    paragraphs: [
      `Jemand möchte das Passwort des Kontos bei ${brand.name} mit dieser E-Mail-Adresse zurücksetzen. Wenn Sie das waren, wählen Sie ein neues Passwort.`,
    ],
    action: { label: 'Neues Passwort wählen', url: slots.link },
    notes: [
      `Der Link kann einmal verwendet werden und läuft ${slots.expiresIn} ab (${slots.expiresAt}).`,
      'Falls Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt unverändert.',
    ],
  }),
});
