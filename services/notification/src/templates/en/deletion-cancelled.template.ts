import { defineTemplate } from '../localized-template';

export const deletionCancelled = defineTemplate('deletion-cancelled', {
  slots: () => ({}),
  content: (_slots, brand) => ({
    subject: `Your ${brand.name} account will not be deleted`,
    preview: 'The deletion you asked for is cancelled.',
    heading: 'Deletion cancelled',
    paragraphs: [`The deletion of your ${brand.name} account is cancelled. Your account and its data stay as they are.`],
    notes: [`If you did not cancel it, write to ${brand.supportEmail}.`],
  }),
});
