const DAY_MS = 86_400_000;

/** YYYY-MM-DD of the UTC day an instant falls in. */
export function utcDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The UTC day before the one `at` falls in: what a report run after midnight covers. */
export function previousUtcDay(at: Date): string {
  return utcDay(new Date(at.getTime() - DAY_MS));
}

/** The UTC day `days` before `day` (YYYY-MM-DD). */
export function daysBefore(day: string, days: number): string {
  return utcDay(new Date(Date.parse(`${day}T00:00:00.000Z`) - days * DAY_MS));
}
