import { defineTemplate } from '../localized-template';

export const waitlistJoined = defineTemplate('waitlist-joined', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `You are on the ${brand.name} waitlist`,
    preview: 'We will write again when your invitation is ready.',
    heading: 'You are on the waitlist',
    paragraphs: [
      `Thank you for your interest in ${brand.name}. You are on the waitlist, and we will email you an invitation as soon as a place is free.`,
    ],
    notes: ['If you did not join the waitlist, ignore this email: we will not write again unless you are invited.'],
  }),
});
