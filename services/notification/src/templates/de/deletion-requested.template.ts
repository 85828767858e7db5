import { defineTemplate } from '../localized-template';

export const deletionRequested = defineTemplate('deletion-requested', {
  slots: (variables, format, now) => ({
    cancelLink: variables.cancelLink,
    purgeAt: format.dateTime(variables.purgeAt),
    purgeIn: format.timeUntil(variables.purgeAt, now),
  }),
  content: (slots, brand) => ({
    subject: `Ihr Konto bei ${brand.name} wird am ${slots.purgeAt} gelöscht`,
    preview: 'Sie können es noch behalten: Brechen Sie die Löschung vorher ab.',
    heading: 'Ihr Konto ist zur Löschung vorgemerkt',
    paragraphs: [
      `Sie haben uns gebeten, Ihr Konto bei ${brand.name} zu löschen. Es wird ${slots.purgeIn} gelöscht, am ${slots.purgeAt}, zusammen mit allem, was wir über Sie gespeichert haben.`,
      'Bis dahin können Sie es sich anders überlegen: Brechen Sie die Löschung ab, und Ihr Konto bleibt, wie es ist.',
    ],
    action: { label: 'Mein Konto behalten', url: slots.cancelLink },
    notes: [
      'Sie können die Löschung auch abbrechen, indem Sie sich anmelden und sie in Ihren Kontoeinstellungen zurücknehmen.',
      `Falls Sie das nicht veranlasst haben, brechen Sie die Löschung ab, setzen Sie Ihr Passwort zurück und schreiben Sie an ${brand.supportEmail}.`,
    ],
  }),
});
