import type { UserRepository } from '../users/user.repository';

/**
 * Takes one-time tokens past their expiry out of the accounts, used or not. A used token stays until
 * then, so a replayed link still gets `token_used` rather than `token_invalid` while it could matter.
 */
export function purgeExpiredTokens(deps: { users: Pick<UserRepository, 'pullExpiredTokens'>; clock: () => Date; batchSize: number }) {
  return async (progress: () => Promise<void>): Promise<Record<string, number>> => {
    const now = deps.clock();
    let accounts = 0;
    for (let after = ''; ;) {
      const page = await deps.users.pullExpiredTokens(now, after, deps.batchSize);
      if (page === null) return { accounts };
      accounts += page.accounts;
      after = page.lastId;
      await progress();
    }
  };
}
