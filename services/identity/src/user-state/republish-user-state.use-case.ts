import { eachWithLimit } from '../maintenance/batches';
import type { UserRepository } from '../users/user.repository';

export interface RepublishUserStateDeps {
  users: Pick<UserRepository, 'liveAfter' | 'announceState'>;
  /** Publishes one account's outbox now and resolves once Kafka has it. */
  flush: (userId: string) => Promise<void>;
}

const FLUSHES_IN_FLIGHT = 16;

/**
 * Republishes the state of every account to identity.user-state.v1, a page at a time, for a topic
 * that was lost or a projection that changed shape. Safe to run again, or beside a running identity:
 * each snapshot is an outbox entry like those every change writes, rendered when published, so a
 * repeat only republishes the same state, and compaction keeps one record per account.
 */
export function republishUserState(deps: RepublishUserStateDeps) {
  return async (input: { pageSize: number; onPage?: (done: number) => void }): Promise<number> => {
    let done = 0;
    let after = '';
    for (;;) {
      const ids = await deps.users.liveAfter(after, input.pageSize);
      const last = ids.at(-1);
      if (last === undefined) return done;
      await deps.users.announceState(ids);
      await eachWithLimit(ids, FLUSHES_IN_FLIGHT, deps.flush);
      done += ids.length;
      after = last;
      input.onPage?.(done);
    }
  };
}
