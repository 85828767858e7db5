import { z } from 'zod';
import { EmailProvider } from '../../notification/email-template';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';
import { DeliveryWindow } from './email-health';

export const EmailMetrics = z.object({
  scope: z.literal('instance').describe('Counters are per instance and since its start; /metrics aggregates them.'),
  since: IsoTime,
  counters: z.array(
    z.object({
      provider: EmailProvider,
      template: z.string(),
      outcome: z.enum(['sent', 'failed', 'retried', 'suppressed', 'rendering_failed']),
      count: z.number().int().min(0),
    }),
  ),
  providers: z.array(DeliveryWindow.extend({ provider: EmailProvider })),
  policy: z.object({
    windowSeconds: z.number().positive(),
    minAttempts: z.number().int().min(0),
    successThreshold: z.number().min(0).max(1),
  }),
});
export type EmailMetrics = z.infer<typeof EmailMetrics>;

export const emailMetricsOperations = defineOperations([
  {
    operationId: 'getEmailMetrics',
    method: 'get',
    path: '/admin/email/metrics',
    service: 'notification',
    summary: 'Email delivery counters and success windows',
    tags: ['admin'],
    security: 'admin',
    responses: { 200: { description: "This instance's counters and each provider's window.", body: EmailMetrics } },
    errors: ['service_unavailable'],
  },
]);
