import { AppError, decodeCursor, pageOf, type Logger, type Page } from '@solar/chassis';
import type {
  BounceEventView,
  PageRequest,
  SuppressionRemovalView,
  SuppressionRepository,
  SuppressionView,
} from './suppression.repository';

export interface PageInput {
  cursor?: string | undefined;
  limit: number;
}

/** One newest-first page: one row more than shown is read, to know whether another page follows. */
async function pageFrom<T>(
  input: PageInput,
  read: (page: PageRequest) => Promise<T[]>,
  positionOf: (row: T) => { at: Date; id: string },
): Promise<Page<T>> {
  const after = input.cursor === undefined ? undefined : decodeCursor(input.cursor);
  return pageOf(await read({ after, limit: input.limit + 1 }), input.limit, positionOf);
}

/** The admin's view of the suppression list and the reports behind it, and the one way off the list. */
export function manageSuppressions(deps: {
  suppressions: Pick<SuppressionRepository, 'listSuppressions' | 'listBounceEvents' | 'listRemovals' | 'remove'>;
  clock: () => Date;
  logger: Logger;
}) {
  const { suppressions } = deps;
  return {
    listSuppressions: (input: PageInput & { contains?: string | undefined }): Promise<Page<SuppressionView>> =>
      pageFrom(
        input,
        (page) => suppressions.listSuppressions({ ...page, contains: input.contains }),
        (row) => ({ at: row.since, id: row.address }),
      ),
    listBounceEvents: (input: PageInput): Promise<Page<BounceEventView>> =>
      pageFrom(
        input,
        (page) => suppressions.listBounceEvents(page),
        (row) => ({ at: row.receivedAt, id: row.id }),
      ),
    listRemovals: (input: PageInput): Promise<Page<SuppressionRemovalView>> =>
      pageFrom(
        input,
        (page) => suppressions.listRemovals(page),
        (row) => ({ at: row.removedAt, id: row.id }),
      ),
    /** The next email to the address is sent again; a later bounce or complaint suppresses it anew. */
    async remove(input: { address: string; removedBy: string; note: string }): Promise<void> {
      if (!(await suppressions.remove(input.address, { removedBy: input.removedBy, note: input.note, at: deps.clock() }))) {
        throw new AppError('not_found', 'The address is not on the suppression list');
      }
      // The address stays out of logs; the removal record names it.
      deps.logger.info({ removedBy: input.removedBy }, 'an admin removed an address from the suppression list');
    },
  };
}

export type ManageSuppressions = ReturnType<typeof manageSuppressions>;
