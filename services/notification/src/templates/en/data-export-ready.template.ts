import { defineTemplate } from '../localized-template';

export const dataExportReady = defineTemplate('data-export-ready', {
  slots: (variables, format, now) => ({
    link: variables.link,
    expiresIn: format.timeUntil(variables.expiresAt, now),
    expiresAt: format.dateTime(variables.expiresAt),
  }),
  content: (slots, brand) => ({
    subject: `Your ${brand.name} data is ready to download`,
    preview: 'A copy of everything we hold about you, in one archive.',
    heading: 'Your data export is ready',
    paragraphs: [
      `You asked for a copy of the data your ${brand.name} account holds. It is ready: a zip archive with one file per part of our service and a README that explains every field.`,
    ],
    action: { label: 'Download my data', url: slots.link },
    notes: [
      `The link works once and expires ${slots.expiresIn} (${slots.expiresAt}); the archive is deleted then.`,
      `If you did not ask for this, change your password and write to ${brand.supportEmail}.`,
    ],
  }),
});
