import { defineTemplate } from '../localized-template';

export const waitlistApproved = defineTemplate('waitlist-approved', {
  slots: (variables, format, now) => ({
    inviteLink: variables.inviteLink,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Ihre Einladung zu ${brand.name}`,
    preview: 'Ihr Platz ist frei: Legen Sie Ihr Konto an.',
    heading: 'Sie sind eingeladen',
    paragraphs: [`Das Warten hat ein Ende: Ein Platz bei ${brand.name} ist für Sie frei. Legen Sie Ihr Konto mit dem Link unten an.`],
    action: { label: 'Mein Konto anlegen', url: slots.inviteLink },
    notes: [`Die Einladung kann einmal verwendet werden und läuft ${slots.expiresIn} ab (${slots.expiresAt}).`],
  }),
});
