import { defineTemplate } from '../localized-template';

export const twoFactorResetRequested = defineTemplate('two-factor-reset-requested', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Bestätigen Sie das Zurücksetzen der Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name}`,
    preview: 'Authenticator-App und Wiederherstellungscodes verloren? Bestätigen Sie mit dem Link in dieser E-Mail.',
    heading: 'Zwei-Faktor-Authentifizierung zurücksetzen',
    paragraphs: [
      `Jemand hat sich mit dem Passwort Ihres Kontos bei ${brand.name} angemeldet und angegeben, dass die Authenticator-App und die Wiederherstellungscodes verloren sind. Wenn Sie das waren, bestätigen Sie das Zurücksetzen.`,
      'Die Zwei-Faktor-Authentifizierung wird nicht sofort ausgeschaltet: Nach Ihrer Bestätigung beginnt eine Wartezeit, und wir schreiben Ihnen, sobald sie beginnt. Bis sie endet, können Sie das Zurücksetzen auf jedem Gerät abbrechen, auf dem Sie noch angemeldet sind.',
    ],
    action: { label: 'Zurücksetzen bestätigen', url: slots.link },
    notes: [
      `Der Link kann einmal verwendet werden und läuft ${slots.expiresIn} ab (${slots.expiresAt}).`,
      'Falls Sie das nicht angefordert haben, bestätigen Sie nichts: Jemand kennt Ihr Passwort. Ändern Sie es jetzt.',
    ],
  }),
});
