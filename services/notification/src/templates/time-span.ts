const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type SpanUnit = 'minute' | 'hour' | 'day';

/**
 * A duration rounded to the unit a reader thinks in: a 24-hour link sent a second later still says
 * 24 hours. Shared by every locale, so the same email says the same span in each language.
 */
export function roundedSpan(ms: number): { count: number; unit: SpanUnit } {
  if (ms < 45 * MINUTE) return { count: Math.max(1, Math.round(ms / MINUTE)), unit: 'minute' };
  if (ms < 36 * HOUR) return { count: Math.round(ms / HOUR), unit: 'hour' };
  return { count: Math.round(ms / DAY), unit: 'day' };
}
