import { defineTemplate } from '../localized-template';

export const inactiveAccountWarning = defineTemplate('inactive-account-warning', {
  slots: (variables, format, now) => ({
    signInLink: variables.signInLink,
    signInBy: format.dateTime(variables.signInBy),
    signInWithin: format.timeUntil(variables.signInBy, now),
  }),
  content: (slots, brand) => ({
    subject: `Ihr ungenutztes Konto bei ${brand.name} wird zur Löschung vorgemerkt`,
    preview: `Melden Sie sich bis ${slots.signInBy} an, um es zu behalten.`,
    heading: 'Wir haben Sie lange nicht gesehen',
    paragraphs: [
      `Bei Ihrem Konto bei ${brand.name} hat sich seit Langem niemand angemeldet. Ungenutzte Konten werden gelöscht, damit wir keine Daten aufbewahren, die niemand braucht.`,
      `Um Ihr Konto zu behalten, melden Sie sich bis ${slots.signInBy} an (${slots.signInWithin}). Andernfalls merken wir es zur Löschung vor und schreiben Ihnen erneut; auch dann können Sie die Löschung noch abbrechen.`,
    ],
    action: { label: 'Anmelden und Konto behalten', url: slots.signInLink },
    notes: [`Wenn Sie das Konto nicht mehr brauchen, müssen Sie nichts tun. Fragen? Schreiben Sie an ${brand.supportEmail}.`],
  }),
});
