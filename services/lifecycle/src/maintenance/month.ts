/** YYYY-MM of the UTC month an instant falls in: at 00:00 UTC on the 1st, the month that starts. */
export function utcMonth(at: Date): string {
  return at.toISOString().slice(0, 7);
}
