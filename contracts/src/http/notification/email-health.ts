import { z } from 'zod';
import { EmailProvider } from '../../notification/email-template';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

/** One provider's recent delivery figures, as both email endpoints show them. */
export const DeliveryWindow = z.object({
  successRate: z.number().min(0).max(1).nullable().describe('sent / attempts, or null when nothing was attempted.'),
  attempts: z.number().int().min(0),
  failed: z.number().int().min(0),
  window: z.object({ start: IsoTime, end: IsoTime, seconds: z.number().positive() }),
  degraded: z.boolean(),
});
export type DeliveryWindow = z.infer<typeof DeliveryWindow>;

export const EmailHealth = DeliveryWindow.extend({ status: z.enum(['up', 'down']), provider: EmailProvider, reachable: z.boolean() });
export type EmailHealth = z.infer<typeof EmailHealth>;

export const emailHealthOperations = defineOperations([
  {
    operationId: 'getEmailHealth',
    method: 'get',
    path: '/health/email',
    service: 'notification',
    summary: 'Whether email delivery works right now',
    description: 'Figures and booleans only, never an error text.',
    tags: ['health'],
    security: 'none',
    responses: {
      200: { description: 'The provider answers and recent deliveries are not degraded.', body: EmailHealth },
      503: { description: 'The provider does not answer, or recent deliveries are degraded.', body: EmailHealth },
    },
  },
]);
