/** A verifier's answer; the reason is for logs only, never for the caller (it would coach a forger). */
export type Verification = { ok: true } | { ok: false; reason: string };

export const verified: Verification = { ok: true };
export const refused = (reason: string): Verification => ({ ok: false, reason });

/**
 * A provider timestamp in Unix seconds that lies within the allowed skew of our clock, either way:
 * an old one is a replay, one from the future a clock problem we should not paper over.
 */
export function freshTimestamp(seconds: string | undefined, now: Date, maxSkewMs: number): Verification {
  if (seconds === undefined || !/^\d{1,12}$/.test(seconds)) return refused('timestamp missing or malformed');
  if (Math.abs(now.getTime() - Number(seconds) * 1000) > maxSkewMs) return refused('timestamp outside the allowed skew');
  return verified;
}
