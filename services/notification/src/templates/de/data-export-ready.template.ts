import { defineTemplate } from '../localized-template';

export const dataExportReady = defineTemplate('data-export-ready', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Ihre Daten bei ${brand.name} stehen zum Herunterladen bereit`,
    preview: 'Eine Kopie von allem, was wir über Sie gespeichert haben, in einem Archiv.',
    heading: 'Ihr Datenexport ist fertig',
    paragraphs: [
      `Sie haben eine Kopie der Daten Ihres Kontos bei ${brand.name} angefordert. Sie liegt bereit: ein ZIP-Archiv mit einer Datei je Teil unseres Dienstes und einer README, die jedes Feld erklärt.`,
    ],
    action: { label: 'Meine Daten herunterladen', url: slots.link },
    notes: [
      `Der Link funktioniert einmal und läuft ${slots.expiresIn} ab (${slots.expiresAt}); danach wird das Archiv gelöscht.`,
      `Falls Sie das nicht angefordert haben, ändern Sie Ihr Passwort und schreiben Sie an ${brand.supportEmail}.`,
    ],
  }),
});
