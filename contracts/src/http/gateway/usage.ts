import { z } from 'zod';
import { IsoTime } from '../common';
import { defineOperations } from '../operation';

/** The signed-in user's requests this UTC month against the quota of their role. */
export const Usage = z.object({
  month: z
    .string()
    .regex(/^\d{4}-\d{2}$/)
    .describe('The UTC month counted, `YYYY-MM`.'),
  used: z.number().int().min(0).describe('Requests counted this month.'),
  quota: z.number().int().positive().nullable().describe('Requests allowed this month; null when unlimited.'),
  resetsAt: IsoTime.describe('When the count starts again: the first instant of the next UTC month.'),
});
export type Usage = z.infer<typeof Usage>;

export const usageOperations = defineOperations([
  {
    operationId: 'getUsage',
    method: 'get',
    path: '/users/me/usage',
    service: 'gateway',
    summary: 'Requests this month and the monthly quota',
    description: 'Answered by the gateway, which counts the requests; reading it counts none.',
    tags: ['users'],
    security: 'bearer',
    responses: { 200: { description: 'This month’s figures.', body: Usage } },
  },
]);
