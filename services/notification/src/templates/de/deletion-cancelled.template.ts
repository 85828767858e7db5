import { defineTemplate } from '../localized-template';

export const deletionCancelled = defineTemplate('deletion-cancelled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Ihr Konto bei ${brand.name} wird nicht gelöscht`,
    preview: 'Die Löschung, die Sie angefordert hatten, ist abgebrochen.',
    heading: 'Löschung abgebrochen',
    paragraphs: [`Die Löschung Ihres Kontos bei ${brand.name} ist abgebrochen. Ihr Konto und seine Daten bleiben, wie sie sind.`],
    notes: [`Falls Sie die Löschung nicht selbst abgebrochen haben, schreiben Sie an ${brand.supportEmail}.`],
  }),
});
