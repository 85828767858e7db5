import { defineTemplate } from '../localized-template';

export const twoFactorResetByAdmin = defineTemplate('two-factor-reset-by-admin', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Unser Support hat die Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name} ausgeschaltet`,
    preview: 'Bei der Anmeldung wird jetzt nur noch Ihr Passwort abgefragt, und Ihre Wiederherstellungscodes gelten nicht mehr.',
    heading: 'Die Zwei-Faktor-Authentifizierung wurde zurückgesetzt',
    paragraphs: [
      `Auf Ihre Anfrage hat unser Support die Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name} ausgeschaltet und die Wiederherstellungscodes entfernt. Bei der Anmeldung wird jetzt nur noch Ihr Passwort abgefragt.`,
      'Schalten Sie sie in Ihren Kontoeinstellungen mit Ihrer Authenticator-App wieder ein: Dann erhalten Sie neue Wiederherstellungscodes.',
    ],
    notes: [`Wenn Sie das nicht angefragt haben, setzen Sie Ihr Passwort jetzt zurück und schreiben Sie an ${brand.supportEmail}.`],
  }),
});
