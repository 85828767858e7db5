import { AppError } from '@solar/chassis';
import { TOKEN_PATTERN } from '../tokens/one-time-token';
import type { StoredInvite } from './waitlist-entry.model';

const MESSAGES = {
  token_malformed: 'The invitation is not in the format we issue',
  token_invalid: 'The invitation is not valid',
  token_expired: 'The invitation has expired; ask for a new one',
  token_used: 'The invitation has already been used',
} as const;

/**
 * Why an invite cannot open an account for this address, or null if it can. Codes are specific:
 * only the holder of a real invite can see anything but token_invalid, so they reveal nothing.
 */
export function inviteRefusal(
  presented: string,
  entry: { email: string; invite: StoredInvite | null } | null,
  email: string,
  now: Date,
): AppError | null {
  if (!TOKEN_PATTERN.test(presented)) return new AppError('token_malformed', MESSAGES.token_malformed);
  if (!entry?.invite) return new AppError('token_invalid', MESSAGES.token_invalid);
  if (entry.email !== email) return new AppError('invite_mismatch', 'The invitation was sent to another address: register with that one');
  if (entry.invite.usedAt) return new AppError('token_used', MESSAGES.token_used);
  if (entry.invite.expiresAt.getTime() <= now.getTime()) return new AppError('token_expired', MESSAGES.token_expired);
  return null;
}
