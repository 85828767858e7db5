import { defineTemplate } from '../localized-template';

export const emailChangeAddressTaken = defineTemplate('email-change-address-taken', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Jemand wollte ein Konto bei ${brand.name} auf Ihre Adresse umstellen`,
    preview: 'Ihr Konto bleibt unverändert.',
    heading: 'Ihre Adresse wird bereits verwendet',
    paragraphs: [
      `Jemand wollte die E-Mail-Adresse eines anderen Kontos bei ${brand.name} auf diese Adresse ändern. Sie gehört bereits Ihnen; es hat sich nichts geändert, und der Anfragende hat davon nichts erfahren.`,
    ],
    notes: [`Wenn Sie davon nichts wissen, müssen Sie nichts tun. Fragen? Schreiben Sie an ${brand.supportEmail}.`],
  }),
});
