import { defineTemplate } from '../localized-template';

export const twoFactorDisabled = defineTemplate('two-factor-disabled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Die Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name} ist ausgeschaltet`,
    preview: 'Bei der Anmeldung wird jetzt nur noch Ihr Passwort abgefragt.',
    heading: 'Zwei-Faktor-Authentifizierung ist ausgeschaltet',
    paragraphs: [
      `Für die Anmeldung bei Ihrem Konto bei ${brand.name} brauchen Sie keinen Code aus Ihrer Authenticator-App mehr, nur noch Ihr Passwort.`,
      'Wir empfehlen, sie in Ihren Kontoeinstellungen wieder einzuschalten.',
    ],
    notes: [
      `Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt zurück, schalten Sie die Zwei-Faktor-Authentifizierung wieder ein und schreiben Sie an ${brand.supportEmail}.`,
    ],
  }),
});
