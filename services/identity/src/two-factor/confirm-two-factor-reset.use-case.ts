import { createEvent } from '@solar/contracts';
import { AppError } from '@solar/chassis';
import type { AuditLog } from '../audit/audit-log';
import type { RequestContext } from '../http/request-context';
import { TOKEN_PATTERN, hashToken, refusalOf } from '../tokens/one-time-token';
import { tokenError } from '../users/user.repository';
import { scheduleReset, type PendingReset } from './pending-reset';
import { resetScheduledEmail } from './two-factor-reset-emails';
import type { TwoFactorRepository } from './two-factor.repository';

export interface ConfirmTwoFactorResetDeps {
  twoFactor: Pick<TwoFactorRepository, 'findByResetToken' | 'scheduleReset' | 'spendResetToken'>;
  audit: Pick<AuditLog, 'record'>;
  clock: () => Date;
  reset: { delayMs: number; appUrl: string };
}

const notOn = () => new AppError('conflict', 'Two-factor authentication is not on for this account: there is nothing to reset');

/**
 * Confirms a two-factor reset with the emailed link's token: two-factor will turn off at the first
 * sign-in with the password after TWO_FACTOR_RESET_DELAY, unless a signed-in session cancels first.
 * The delay is what an attacker holding the password and the mailbox cannot skip: the owner is
 * emailed now, and any session of theirs can stop it. A reset already pending keeps its time: a
 * second link neither restarts nor shortens it.
 */
export function confirmTwoFactorReset(deps: ConfirmTwoFactorResetDeps) {
  return async (input: { token: string; context: RequestContext }): Promise<{ reset: PendingReset; created: boolean }> => {
    const now = deps.clock();
    const refuse = async (error: AppError, userId: string | null): Promise<never> => {
      await deps.audit.record({
        userId,
        action: 'two_factor_reset_confirmed',
        outcome: 'failure',
        context: input.context,
        details: { reason: error.code },
      });
      throw error;
    };
    if (!TOKEN_PATTERN.test(input.token)) return refuse(tokenError('token_malformed'), null);
    const hash = hashToken(input.token);

    // Twice at most: a write that loses a race (another link, a cancel) is decided again on what it raced.
    for (let attempt = 0; attempt < 2; attempt++) {
      const found = await deps.twoFactor.findByResetToken(hash);
      const refusal = refusalOf(input.token, found?.token, now);
      if (refusal || !found) return refuse(tokenError(refusal ?? 'token_invalid'), found?.user.id ?? null);
      const { user, twoFactor } = found;
      if (!twoFactor.enabledAt) return refuse(notOn(), user.id);

      if (twoFactor.reset) {
        if (await deps.twoFactor.spendResetToken(user.id, hash, now)) {
          await deps.audit.record({
            userId: user.id,
            action: 'two_factor_reset_confirmed',
            outcome: 'success',
            context: input.context,
            details: { alreadyPending: true, effectiveAt: twoFactor.reset.effectiveAt.toISOString() },
          });
          return { reset: twoFactor.reset, created: false };
        }
        continue;
      }
      const reset = scheduleReset(now, deps.reset.delayMs);
      const scheduled = createEvent('TwoFactorResetScheduled', {
        source: '/identity',
        subject: user.id,
        time: now,
        data: { userId: user.id, effectiveAt: reset.effectiveAt.toISOString() },
      });
      if (await deps.twoFactor.scheduleReset(user.id, hash, reset, [scheduled, resetScheduledEmail(user, reset, deps.reset.appUrl)])) {
        await deps.audit.record({
          userId: user.id,
          action: 'two_factor_reset_confirmed',
          outcome: 'success',
          context: input.context,
          details: { effectiveAt: reset.effectiveAt.toISOString() },
        });
        return { reset, created: true };
      }
    }
    return refuse(tokenError('token_used'), null);
  };
}
