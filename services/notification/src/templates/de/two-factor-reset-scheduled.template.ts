import { defineTemplate } from '../localized-template';

export const twoFactorResetScheduled = defineTemplate('two-factor-reset-scheduled', {
  slots: (variables, format, now) => ({
    cancelLink: variables.cancelLink,
    effectiveAt: format.dateTime(variables.effectiveAt),
    effectiveIn: format.timeUntil(variables.effectiveAt, now),
  }),
  content: (slots, brand) => ({
    subject: `Die Zwei-Faktor-Authentifizierung für Ihr Konto bei ${brand.name} wird am ${slots.effectiveAt} ausgeschaltet`,
    preview: 'Falls Sie das nicht waren, melden Sie sich an, brechen Sie es ab und ändern Sie Ihr Passwort.',
    heading: 'Zwei-Faktor-Authentifizierung wird ausgeschaltet',
    paragraphs: [
      `Für Ihr Konto bei ${brand.name} wurde das Zurücksetzen der Zwei-Faktor-Authentifizierung bestätigt. Es wird ${slots.effectiveIn} wirksam, am ${slots.effectiveAt}: Ab dann schaltet eine Anmeldung allein mit dem Passwort die Zwei-Faktor-Authentifizierung aus.`,
      'Falls Sie das nicht waren, melden Sie sich an, brechen Sie das Zurücksetzen vorher ab und ändern Sie Ihr Passwort: Wer es angefordert hat, kennt es.',
    ],
    action: { label: 'Zurücksetzen abbrechen', url: slots.cancelLink },
    notes: [
      'Eine Änderung Ihres Passworts bricht das Zurücksetzen ebenfalls ab.',
      `Wenn Sie das waren, müssen Sie nichts tun: Melden Sie sich nach diesem Zeitpunkt an. Fragen? Schreiben Sie an ${brand.supportEmail}.`,
    ],
  }),
});
