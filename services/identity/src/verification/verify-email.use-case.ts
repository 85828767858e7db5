import { createEvent, type AnyCloudEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import { TOKEN_PATTERN, hashToken } from '../registration/one-time-token';
import type { UserSummary } from '../users/user.repository';

export interface VerificationStore {
  verifyEmail(tokenHash: string, now: Date, events: (user: UserSummary) => AnyCloudEvent[]): Promise<UserSummary | null>;
}

/** Unknown, expired and already-used tokens get one answer, so the endpoint reveals nothing about them. */
export function verifyEmail(deps: { users: VerificationStore; clock: () => Date }) {
  return async (input: { token: string }): Promise<UserSummary> => {
    const invalid = new AppError('invalid_token', 'The verification link is invalid, expired or already used');
    if (!TOKEN_PATTERN.test(input.token)) throw invalid;
    const now = deps.clock();
    const user = await deps.users.verifyEmail(hashToken(input.token), now, (owner) => [
      createEvent('EmailVerified', { source: '/identity', subject: owner.id, time: now, data: { userId: owner.id, email: owner.email } }),
    ]);
    if (!user) throw invalid;
    return user;
  };
}
