import { defineTemplate } from '../localized-template';

export const passwordBreached = defineTemplate('password-breached', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Bitte wählen Sie ein neues Passwort für ${brand.name}`,
    preview: 'Ihr Passwort ist bei einem Datenleck an anderer Stelle bekannt geworden.',
    heading: 'Bitte wählen Sie ein neues Passwort',
    paragraphs: [
      `Mit Ihrem Passwort wurde soeben eine Anmeldung bei ${brand.name} vorgenommen, und es ist bei einem Datenleck einer anderen Website bekannt geworden. Angreifer probieren solche Passwörter zuerst aus, auf jeder Website, die sie erreichen.`,
      'Ihr Konto ist in Ordnung, und nichts wurde geändert: Melden Sie sich an und wählen Sie in Ihren Kontoeinstellungen ein neues Passwort, das Sie nirgends sonst verwenden.',
    ],
    notes: [
      'Wir haben Ihr Passwort nicht aus dem Datenleck erfahren: Wir haben es mit einer Liste bekannt gewordener Passwörter abgeglichen, ohne es irgendwohin zu senden.',
      'Wenn Sie dieses Passwort auch auf anderen Websites verwenden, ändern Sie es dort ebenfalls.',
    ],
  }),
});
