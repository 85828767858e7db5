import type { EmailProvider } from '@solar/contracts';

/** What a provider told us about a recipient, reduced to what the suppression list and stats need. */
export type MailEventKind = 'hard_bounce' | 'soft_bounce' | 'complaint' | 'dropped';

export interface MailEvent {
  provider: EmailProvider;
  kind: MailEventKind;
  address: string;
  /** The provider's id for this occurrence, so a redelivered webhook is counted once. */
  eventKey: string;
  at: Date;
  /** Set when the event means "never send here again". */
  suppress: 'hard_bounce' | 'complaint' | null;
}

export type SuppressionReason = 'hard_bounce' | 'complaint' | 'manual';

/**
 * One spelling per mailbox. Lower-casing the local part is not strictly RFC 5321, but every large
 * provider treats it as case-insensitive, and a suppression that misses on case would send again.
 */
export function normalizeAddress(address: string): string {
  return address.trim().toLowerCase();
}
