import { randomUUID } from 'node:crypto';
import type { purgeAccount } from '../deletion/purge-account.use-case';
import type { UserRepository } from '../users/user.repository';
import { eachWithLimit } from './batches';

export interface PurgeUnverifiedAccountsDeps {
  users: Pick<UserRepository, 'unverifiedBefore' | 'claimUnverified' | 'stalledPurges'>;
  purge: ReturnType<typeof purgeAccount>;
  clock: () => Date;
  maxAgeMs: number;
  batchSize: number;
  concurrency: number;
}

/**
 * Removes accounts whose address was never verified in time, like a purge after a deletion request:
 * UserDeleted goes out, so every service erases what it holds. No request exists, so each removal
 * gets an id of its own (`unverified-<uuid>`), which UserDeleted carries as its deletionRequestId.
 * An account is claimed by one conditional write first, so two replicas never remove it twice; a
 * verification that lands first keeps it. Purges left unfinished by a crash are finished here too.
 */
export function purgeUnverifiedAccounts(deps: PurgeUnverifiedAccountsDeps) {
  return async (progress: () => Promise<void>): Promise<Record<string, number>> => {
    const now = deps.clock();
    let resumed = 0;
    for (;;) {
      // Begun and unfinished: a crash or a stop cut them short. Finishing one that another replica is still
      // carrying out is harmless, since every step of a purge is safe to repeat.
      const stalled = await deps.users.stalledPurges(deps.batchSize);
      await eachWithLimit(stalled, deps.concurrency, async ({ id, requestId }) => {
        if ((await deps.purge({ userId: id, deletionRequestId: requestId })) === 'purged') resumed++;
      });
      if (stalled.length < deps.batchSize) break;
      await progress();
    }

    const registeredBefore = new Date(now.getTime() - deps.maxAgeMs);
    let removed = 0;
    for (let after = ''; ;) {
      const ids = await deps.users.unverifiedBefore(registeredBefore, after, deps.batchSize);
      if (ids.length === 0) break;
      after = ids.at(-1)!;
      await eachWithLimit(ids, deps.concurrency, async (userId) => {
        const requestId = `unverified-${randomUUID()}`;
        // Claimed as started: from this write on the account cannot be signed into, and a crash leaves a stalled purge to resume.
        const claim = { requestId, reason: 'unverified', requestedAt: now, purgeAt: now, purgeStartedAt: now } as const;
        if (!(await deps.users.claimUnverified(userId, registeredBefore, claim))) return;
        if ((await deps.purge({ userId, deletionRequestId: requestId })) === 'purged') removed++;
        // Per account: each purge publishes an event, so a page can outlast the group's session timeout.
        await progress();
      });
    }
    return { removed, resumed };
  };
}
