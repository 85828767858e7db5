import { defineTemplate } from '../localized-template';

export const passkeyAdded = defineTemplate('passkey-added', {
  slots: (variables) => ({ name: variables.name }),
  content: (slots, brand) => ({
    subject: `Ihrem Konto bei ${brand.name} wurde ein Passkey hinzugefügt`,
    preview: `Mit dem Passkey „${slots.name}“ kann man sich jetzt bei Ihrem Konto anmelden.`,
    heading: 'Ein Passkey wurde hinzugefügt',
    paragraphs: [
      `Ihrem Konto bei ${brand.name} wurde der Passkey „${slots.name}“ hinzugefügt: Mit ihm ist die Anmeldung ohne Ihr Passwort möglich.`,
      'Auf Ihrer Kontoseite sehen Sie Ihre Passkeys und können sie entfernen.',
    ],
    notes: [
      `Wenn Sie das nicht waren, entfernen Sie den Passkey, setzen Sie Ihr Passwort jetzt zurück und schreiben Sie an ${brand.supportEmail}.`,
    ],
  }),
});
