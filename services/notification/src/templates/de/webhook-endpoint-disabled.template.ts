import { defineTemplate } from '../localized-template';

export const webhookEndpointDisabled = defineTemplate('webhook-endpoint-disabled', {
  slots: (variables, format) => ({
    endpoint: variables.endpoint,
    failingSince: format.dateTime(variables.failingSince),
  }),
  content: (slots, brand) => ({
    subject: `Ein Webhook-Endpunkt von ${brand.name} wurde deaktiviert`,
    preview: 'Alle Zustellungen sind zu lange fehlgeschlagen.',
    heading: 'Webhook-Endpunkt deaktiviert',
    paragraphs: [
      `Seit ${slots.failingSince} ist jede Zustellung an den Webhook-Endpunkt ${slots.endpoint} fehlgeschlagen. Deshalb sendet ${brand.name} nicht mehr dorthin.`,
      'Die Ereignisse dafür bleiben erhalten und warten: Sobald der Empfänger wieder funktioniert, aktivieren Sie den Endpunkt in der Admin-API, und sie werden der Reihe nach zugestellt.',
    ],
    notes: ['Sie erhalten diese E-Mail als Administrator der Webhooks.'],
  }),
});
