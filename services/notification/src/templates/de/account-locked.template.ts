import { defineTemplate } from '../localized-template';

export const accountLocked = defineTemplate('account-locked', {
  slots: (variables, format, now) => ({
    lockedUntil: format.dateTime(variables.lockedUntil),
    resumesIn: format.timeUntil(variables.lockedUntil, now),
  }),
  content: (slots, brand) => ({
    subject: `Die Anmeldung bei Ihrem Konto bei ${brand.name} ist vorübergehend gesperrt`,
    preview: `Die Anmeldung ist ${slots.resumesIn} wieder möglich.`,
    heading: 'Anmeldung vorübergehend gesperrt',
    paragraphs: [
      `Es gab zu viele fehlgeschlagene Versuche, sich bei Ihrem Konto bei ${brand.name} anzumelden. Deshalb ist die Anmeldung bis ${slots.lockedUntil} gesperrt.`,
      'Wenn Sie das waren, warten Sie bis dahin und versuchen Sie es dann erneut, oder setzen Sie Ihr Passwort zurück, falls Sie es vergessen haben.',
    ],
    notes: [
      'Wenn Sie das nicht waren, versucht möglicherweise jemand, Ihr Passwort zu erraten: Setzen Sie es nach Ablauf der Sperre am besten auf ein langes Passwort zurück, das Sie nirgends sonst verwenden.',
    ],
  }),
});
