import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import type { UserRepository } from '../users/user.repository';
import { verificationEmail } from './verification-email';

export interface SendVerificationDeps {
  users: Pick<UserRepository, 'findById' | 'addToken'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  verification: { ttlMs: number; linkBase: string };
}

/** A fresh verification link for a signed-in user; earlier links stay valid until they expire. */
export function sendVerification(deps: SendVerificationDeps) {
  return async (input: { userId: string; context: RequestContext }): Promise<void> => {
    const user = await deps.users.findById(input.userId);
    if (!user) throw new AppError('unauthorized', 'The account no longer exists');
    if (user.emailVerifiedAt) throw new AppError('conflict', 'The email address is already verified');
    const { token, event } = verificationEmail({
      userId: user.id,
      email: user.email,
      locale: user.locale,
      now: deps.clock(),
      ...deps.verification,
    });
    await deps.users.addToken(user.id, token, [event]);
    await deps.audit.record({ userId: user.id, action: 'verification_requested', outcome: 'success', context: input.context });
  };
}
