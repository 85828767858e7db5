import { defineTemplate } from '../localized-template';

export const waitlistJoined = defineTemplate('waitlist-joined', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Sie stehen auf der Warteliste von ${brand.name}`,
    preview: 'Wir schreiben Ihnen wieder, sobald Ihre Einladung bereitsteht.',
    heading: 'Sie stehen auf der Warteliste',
    paragraphs: [
      `Vielen Dank für Ihr Interesse an ${brand.name}. Sie stehen auf der Warteliste, und wir senden Ihnen eine Einladung, sobald ein Platz frei ist.`,
    ],
    notes: [
      'Falls Sie sich nicht auf die Warteliste gesetzt haben, ignorieren Sie diese E-Mail: Wir schreiben Ihnen nur wieder, wenn Sie eingeladen werden.',
    ],
  }),
});
