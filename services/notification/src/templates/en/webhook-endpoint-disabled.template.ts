import { defineTemplate } from '../localized-template';

export const webhookEndpointDisabled = defineTemplate('webhook-endpoint-disabled', {
  slots: (variables, format) => ({
    endpoint: variables.endpoint,
    failingSince: format.dateTime(variables.failingSince),
  }),
  content: (slots, brand) => ({
    subject: `A ${brand.name} webhook endpoint was disabled`,
    preview: 'It failed every delivery for too long.',
    heading: 'Webhook endpoint disabled',
    paragraphs: [
      `The webhook endpoint ${slots.endpoint} failed every delivery since ${slots.failingSince}, so ${brand.name} stopped sending to it.`,
      'Events for it are kept and wait: once the receiver works again, enable the endpoint in the admin API and they are delivered in order.',
    ],
    notes: ['You are receiving this email as an administrator of webhooks.'],
  }),
});
