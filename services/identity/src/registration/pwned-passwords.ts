import { createHash } from 'node:crypto';
import type { Logger } from '@solar/chassis';

/** `unavailable`: no answer in time, or not one in the range API's shape; the caller falls back to the bundled list. */
export type BreachLookup = 'breached' | 'clean' | 'unavailable';

export interface PwnedPasswordsOptions {
  /** The range API's base, e.g. https://api.pwnedpasswords.com; `/range/{prefix}` is appended. */
  url: string;
  timeoutMs: number;
  /** How many sightings make a password breached; padding entries (count 0) never do. */
  minCount: number;
}

/** The counter the lookups are counted on, by outcome: breached, clean, timeout, unreachable, bad_answer. */
export interface LookupCounter {
  inc(labels: { outcome: string }): void;
}

const PREFIX_LENGTH = 5;
const LINE = /^([0-9A-F]{35}):(\d+)$/;

/** The SHA-1 of the password split where k-anonymity cuts it: only `prefix` is ever sent. */
export function rangeKey(password: string): { prefix: string; suffix: string } {
  const hash = createHash('sha1').update(password, 'utf8').digest('hex').toUpperCase();
  return { prefix: hash.slice(0, PREFIX_LENGTH), suffix: hash.slice(PREFIX_LENGTH) };
}

/**
 * The count the range answer gives the suffix, 0 when absent. Null when the body is not a range
 * answer at all (a captive portal's page, an error text): that is an outage, not a clean password.
 */
export function countInRange(body: string, suffix: string): number | null {
  let count = 0;
  for (const raw of body.split('\n')) {
    const line = raw.trim().toUpperCase();
    if (line === '') continue;
    const match = LINE.exec(line);
    if (!match) return null;
    if (match[1] === suffix) count = Number(match[2]);
  }
  return count;
}

/**
 * The Pwned Passwords range API (https://haveibeenpwned.com/API/v3#PwnedPasswords), asked the
 * k-anonymous way: the first five hex characters of the password's SHA-1 go out, every suffix under
 * them comes back, and the match is made here. `Add-Padding` makes every answer a similar size, so
 * an observer of the encrypted answer cannot tell the prefix from its length.
 */
export function pwnedPasswords(options: PwnedPasswordsOptions, observe: { counter: LookupCounter; logger: Logger }) {
  const base = options.url.replace(/\/+$/, '');
  const unavailable = (outcome: string, detail: Record<string, unknown>): BreachLookup => {
    observe.counter.inc({ outcome });
    // Neither the password nor any part of its hash: the prefix alone, in a log, still narrows it.
    observe.logger.warn(
      { outcome, timeoutMs: options.timeoutMs, ...detail },
      'pwned passwords unavailable: the bundled list alone judged the password',
    );
    return 'unavailable';
  };
  return async (password: string): Promise<BreachLookup> => {
    const { prefix, suffix } = rangeKey(password);
    const signal = AbortSignal.timeout(options.timeoutMs);
    let body: string;
    try {
      const response = await fetch(`${base}/range/${prefix}`, {
        headers: { 'add-padding': 'true', accept: 'text/plain' },
        redirect: 'error',
        signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        return unavailable('unreachable', { status: response.status });
      }
      body = await response.text();
    } catch (error) {
      // The signal, not the error's class, tells a timeout: fetch's errors may come from another realm.
      const cause = (error as { cause?: { code?: unknown } }).cause?.code;
      return unavailable(signal.aborted ? 'timeout' : 'unreachable', typeof cause === 'string' ? { error: cause } : {});
    }
    const count = countInRange(body, suffix);
    if (count === null) return unavailable('bad_answer', {});
    const outcome = count >= options.minCount ? 'breached' : 'clean';
    observe.counter.inc({ outcome });
    return outcome;
  };
}
