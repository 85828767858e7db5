import type { WaitlistStatus } from '@solar/contracts';
import { decodeCursor, pageOf, type Page } from '@solar/chassis';
import type { WaitlistEntry, WaitlistRepository } from './waitlist.repository';

export function listWaitlist(deps: { waitlist: Pick<WaitlistRepository, 'listOldestFirst'> }) {
  return async (input: {
    status?: WaitlistStatus | undefined;
    cursor?: string | undefined;
    limit: number;
  }): Promise<Page<WaitlistEntry>> => {
    const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
    const rows = await deps.waitlist.listOldestFirst({ status: input.status, after, limit: input.limit + 1 });
    return pageOf(rows, input.limit, (entry) => ({ at: entry.createdAt, id: entry.id }));
  };
}
