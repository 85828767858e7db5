import { z } from 'zod';

export const MonthlyQuotaResetDueV1 = z.object({
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
    .describe('The month that starts, YYYY-MM (UTC).'),
});
export type MonthlyQuotaResetDueV1 = z.output<typeof MonthlyQuotaResetDueV1>;

/** The `month` of this event for an instant: its UTC month, YYYY-MM (at 00:00 UTC on the 1st, the month that starts). */
export function monthOf(instant: Date): string {
  return instant.toISOString().slice(0, 7);
}

/** The month before a YYYY-MM month. */
export function previousMonth(month: string): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  return monthOf(new Date(Date.UTC(year, index - 2, 1)));
}
