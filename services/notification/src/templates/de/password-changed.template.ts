import { defineTemplate } from '../localized-template';

export const passwordChanged = defineTemplate('password-changed', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Ihr Passwort bei ${brand.name} wurde geändert`,
    preview: 'Ihre anderen Sitzungen wurden abgemeldet.',
    heading: 'Ihr Passwort wurde geändert',
    paragraphs: [
      `Das Passwort Ihres Kontos bei ${brand.name} wurde soeben geändert, und Ihre anderen Sitzungen wurden abgemeldet.`,
      'Wenn Sie das waren, müssen Sie nichts weiter tun.',
    ],
    notes: [
      `Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt mit „Passwort vergessen“ auf der Anmeldeseite zurück, prüfen Sie die Sitzungen und Aktivitäten in Ihren Kontoeinstellungen und schreiben Sie an ${brand.supportEmail}.`,
    ],
  }),
});
