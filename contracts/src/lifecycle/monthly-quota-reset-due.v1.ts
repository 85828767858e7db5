import { z } from 'zod';

export const MonthlyQuotaResetDueV1 = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .describe('The month that starts, YYYY-MM (UTC).'),
});
export type MonthlyQuotaResetDueV1 = z.output<typeof MonthlyQuotaResetDueV1>;
