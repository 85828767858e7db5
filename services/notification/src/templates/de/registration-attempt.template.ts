import { defineTemplate } from '../localized-template';

export const registrationAttempt = defineTemplate('registration-attempt', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Jemand wollte sich mit Ihrer Adresse bei ${brand.name} registrieren`,
    preview: 'Für diese Adresse gibt es bereits ein Konto.',
    heading: 'Registrierungsversuch mit Ihrer Adresse',
    paragraphs: [
      `Soeben hat jemand versucht, mit dieser E-Mail-Adresse ein Konto bei ${brand.name} anzulegen. Für diese Adresse gibt es bereits ein Konto.`,
      'Wenn Sie das waren, melden Sie sich stattdessen an, oder setzen Sie Ihr Passwort zurück, falls Sie es vergessen haben.',
    ],
    notes: ['Wenn Sie das nicht waren, hat sich nichts geändert, und Sie müssen nichts tun.'],
  }),
});
