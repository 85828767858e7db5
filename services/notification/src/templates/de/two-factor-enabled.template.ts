import { defineTemplate } from '../localized-template';

export const twoFactorEnabled = defineTemplate('two-factor-enabled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Die Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name} ist eingeschaltet`,
    preview: 'Bei der Anmeldung wird jetzt ein Code aus Ihrer Authenticator-App abgefragt.',
    heading: 'Zwei-Faktor-Authentifizierung ist eingeschaltet',
    paragraphs: [
      `Für die Anmeldung bei Ihrem Konto bei ${brand.name} brauchen Sie jetzt neben Ihrem Passwort auch einen Code aus Ihrer Authenticator-App.`,
      'Bewahren Sie Ihre Wiederherstellungscodes sicher auf: Mit ihnen kommen Sie wieder in Ihr Konto, falls Sie Ihr Telefon verlieren.',
    ],
    notes: [`Wenn Sie das nicht waren, setzen Sie Ihr Passwort jetzt zurück und schreiben Sie an ${brand.supportEmail}.`],
  }),
});
