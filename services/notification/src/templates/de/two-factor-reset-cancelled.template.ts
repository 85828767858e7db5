import { defineTemplate } from '../localized-template';

export const twoFactorResetCancelled = defineTemplate('two-factor-reset-cancelled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Das Zurücksetzen der Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name} ist abgebrochen`,
    preview: 'Die Zwei-Faktor-Authentifizierung bleibt eingeschaltet.',
    heading: 'Zurücksetzen abgebrochen',
    paragraphs: [
      `Das ausstehende Zurücksetzen der Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name} wurde abgebrochen, in einer angemeldeten Sitzung oder durch eine Änderung des Passworts. Die Zwei-Faktor-Authentifizierung bleibt eingeschaltet.`,
    ],
    notes: [
      `Falls Sie es nicht selbst abgebrochen haben und das Zurücksetzen weiterhin brauchen, fordern Sie bei der Anmeldung ein neues an. Fragen? Schreiben Sie an ${brand.supportEmail}.`,
    ],
  }),
});
